package dev.drover.console.tasks;

import static dev.drover.console.web.Html.esc;
import static dev.drover.console.web.Html.url;

import dev.drover.api.task.Task;
import dev.drover.api.task.TaskParam;
import dev.drover.api.task.TaskSpec;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.console.query.Listings;
import dev.drover.console.query.Paging.Page;
import dev.drover.console.web.Features;
import dev.drover.console.web.Html;
import dev.drover.console.web.Json;
import dev.drover.console.web.Request;
import dev.drover.console.web.Response;
import dev.drover.console.web.Routes;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Task templates as self-service: a form built from each Task's params (descriptions, defaults,
 * allowed values as a drop-down, required marks) that starts a run of it.
 */
public final class TasksFeature {
  private static final String FIELD_PREFIX = "param.";

  /** How long a form's answer waits for the console's cache to hold the run it created. */
  private static final Duration CREATED_RUN_PATIENCE = Duration.ofSeconds(5);

  /** The body a script posts to run a Task. */
  record RunRequest(Map<String, String> params) {}

  private final Features features;

  public TasksFeature(Features features) {
    this.features = features;
  }

  public void register(Routes routes) {
    routes
        .get("/api/v1/tasks", request -> Json.ok(tasks(request).body()))
        .get("/api/v1/namespaces/{ns}/tasks/{name}", request -> Json.ok(task(request)))
        .post("/api/v1/namespaces/{ns}/tasks/{name}/run", this::run)
        .get("/tasks", this::listPage)
        .get("/tasks/{ns}/{name}", this::formPage);
  }

  /** A Task without a spec (the operator reports it) shows as one without description or params. */
  private static TaskSpec specOf(Task task) {
    return task.getSpec() == null ? new TaskSpec(null, null, null) : task.getSpec();
  }

  private Page<Task> tasks(Request request) {
    return Listings.page(
        request,
        features.guard(),
        "tasks",
        features.cache().tasks(),
        task -> specOf(task).description());
  }

  private Task task(Request request) {
    return Listings.one(request, features.guard(), "tasks", features.cache()::task);
  }

  private Response run(Request request) throws IOException, InterruptedException {
    Task task = task(request);
    features
        .guard()
        .require(request.caller(), "create", "taskruns", task.getMetadata().getNamespace());
    Map<String, String> given = new LinkedHashMap<>();
    if (request.isForm()) {
      request
          .form()
          .forEach(
              (field, value) -> {
                if (field.startsWith(FIELD_PREFIX)) {
                  given.put(field.substring(FIELD_PREFIX.length()), value);
                }
              });
    } else {
      String body = request.body();
      RunRequest asked = body.isBlank() ? new RunRequest(null) : Json.read(body, RunRequest.class);
      if (asked.params() != null) {
        given.putAll(asked.params());
      }
    }
    TaskRun run = TaskForm.runOf(task, given);
    TaskRun created =
        features.clients().as(request.caller(), client -> client.resource(run).create());
    if (request.isForm()) {
      features
          .cache()
          .awaitRun(
              created.getMetadata().getNamespace(),
              created.getMetadata().getName(),
              CREATED_RUN_PATIENCE);
    }
    String path =
        "/runs/"
            + url(created.getMetadata().getNamespace())
            + "/"
            + url(created.getMetadata().getName());
    return request.isForm()
        ? Response.seeOther(path)
        : Json.ok(
            Map.of(
                "created",
                created.getMetadata().getNamespace() + "/" + created.getMetadata().getName()));
  }

  private Response listPage(Request request) {
    List<String[]> rows = new ArrayList<>();
    for (Task task : tasks(request).items()) {
      rows.add(
          new String[] {
            Html.link(
                "/tasks/"
                    + url(task.getMetadata().getNamespace())
                    + "/"
                    + url(task.getMetadata().getName()),
                task.getMetadata().getName()),
            esc(task.getMetadata().getNamespace()),
            esc(specOf(task).description()),
            esc(specOf(task).paramsOrEmpty().stream().map(TaskParam::name).toList().toString())
          });
    }
    String main =
        "<h1>Tasks</h1>"
            + Html.table(
                "tasks", new String[] {"Name", "Namespace", "Description", "Params"}, rows);
    return features.layout().page(request, "Tasks", "Task", main);
  }

  private Response formPage(Request request) {
    Task task = task(request);
    String namespace = task.getMetadata().getNamespace();
    String name = task.getMetadata().getName();
    StringBuilder main =
        new StringBuilder("<h1>Task ")
            .append(esc(name))
            .append("</h1><p>")
            .append(esc(specOf(task).description()))
            .append("</p>");
    if (features.guard().isReadOnly()) {
      main.append("<p class=\"hint\">Read-only console: runs cannot be started here.</p>");
    } else {
      main.append(
              "<form method=\"post\" class=\"card\" id=\"run-task\" action=\"/api/v1/namespaces/")
          .append(esc(url(namespace)))
          .append("/tasks/")
          .append(esc(url(name)))
          .append("/run\">")
          .append(features.layout().csrfField(request.caller()));
      for (TaskParam param : specOf(task).paramsOrEmpty()) {
        main.append(field(param));
      }
      main.append("<button type=\"submit\" id=\"run-task-button\">Run</button></form>");
    }
    return features.layout().page(request, "Task " + name, "", main.toString());
  }

  private static String field(TaskParam param) {
    String id = "param-" + param.name();
    boolean required = param.isRequired() && param.defaultValue() == null;
    StringBuilder field =
        new StringBuilder("<label for=\"")
            .append(esc(id))
            .append("\">")
            .append(esc(param.name()))
            .append(required ? " <span class=\"required\" title=\"required\">*</span>" : "")
            .append("</label>");
    if (param.allowed() != null && !param.allowed().isEmpty()) {
      field
          .append("<select id=\"")
          .append(esc(id))
          .append("\" name=\"")
          .append(FIELD_PREFIX)
          .append(esc(param.name()))
          .append("\"")
          .append(required ? " required" : "")
          .append(">");
      if (!required && param.defaultValue() == null) {
        field.append("<option value=\"\"></option>");
      }
      for (String value : param.allowed()) {
        field
            .append("<option value=\"")
            .append(esc(value))
            .append("\"")
            .append(value.equals(param.defaultValue()) ? " selected" : "")
            .append(">")
            .append(esc(value))
            .append("</option>");
      }
      field.append("</select>");
    } else {
      field
          .append("<input id=\"")
          .append(esc(id))
          .append("\" name=\"")
          .append(FIELD_PREFIX)
          .append(esc(param.name()))
          .append("\" value=\"")
          .append(esc(param.defaultValue()))
          .append("\"")
          .append(required ? " required" : "")
          .append(">");
    }
    if (param.description() != null) {
      field.append("<p class=\"hint\">").append(esc(param.description())).append("</p>");
    }
    return field.toString();
  }
}
