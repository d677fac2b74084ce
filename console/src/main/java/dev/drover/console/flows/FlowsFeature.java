package dev.drover.console.flows;

import static dev.drover.console.web.Html.esc;
import static dev.drover.console.web.Html.url;

import dev.drover.api.DroverLabels;
import dev.drover.api.flow.FlowTaskPhase;
import dev.drover.api.flow.FlowTaskStatus;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.flow.TaskFlowSpec;
import dev.drover.api.flow.TaskFlowStatus;
import dev.drover.api.steer.Reruns;
import dev.drover.api.steer.SteeringPatches;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.console.cluster.ClusterCache;
import dev.drover.console.cluster.Phases;
import dev.drover.console.query.Listings;
import dev.drover.console.query.ObjectFilter;
import dev.drover.console.query.Paging.Page;
import dev.drover.console.web.ActionReply;
import dev.drover.console.web.Features;
import dev.drover.console.web.Html;
import dev.drover.console.web.HttpError;
import dev.drover.console.web.Json;
import dev.drover.console.web.Request;
import dev.drover.console.web.Response;
import dev.drover.console.web.Routes;
import dev.drover.console.web.Times;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** TaskFlows: the list, one flow drawn as its graph with each task's phase, and its actions. */
public final class FlowsFeature {
  private static final String LIVE = "TaskFlow TaskRun";

  private final Features features;

  public FlowsFeature(Features features) {
    this.features = features;
  }

  public void register(Routes routes) {
    routes
        .get("/api/v1/flows", request -> Json.ok(flows(request).body()))
        .get("/api/v1/namespaces/{ns}/flows/{name}", request -> Json.ok(flow(request)))
        .post(
            "/api/v1/namespaces/{ns}/flows/{name}/cancel",
            request -> patch(request, SteeringPatches.CANCEL, "cancelled"))
        .post("/api/v1/namespaces/{ns}/flows/{name}/retry", this::retry)
        .post("/api/v1/namespaces/{ns}/flows/{name}/rerun", this::rerun)
        .get("/flows", this::listPage)
        .get("/flows/{ns}/{name}", this::detailPage);
  }

  /** A flow without a spec (the operator reports it) shows as one without tasks. */
  private static TaskFlowSpec specOf(TaskFlow flow) {
    return flow.getSpec() == null
        ? new TaskFlowSpec(null, null, null, null, List.of(), null)
        : flow.getSpec();
  }

  private Page<TaskFlow> flows(Request request) {
    return Listings.page(
        request, features.guard(), "taskflows", features.cache().flows(), FlowsFeature::message);
  }

  private TaskFlow flow(Request request) {
    return Listings.one(request, features.guard(), "taskflows", features.cache()::flow);
  }

  private static String message(TaskFlow flow) {
    return flow.getStatus() == null ? null : flow.getStatus().message();
  }

  private Response patch(Request request, String mergePatch, String done) throws IOException {
    TaskFlow flow = flow(request);
    String namespace = flow.getMetadata().getNamespace();
    features.guard().require(request.caller(), "patch", "taskflows", namespace);
    features
        .clients()
        .mergePatch(
            request.caller(), TaskFlow.class, namespace, flow.getMetadata().getName(), mergePatch);
    return ActionReply.done(request, Map.of(done, namespace + "/" + flow.getMetadata().getName()));
  }

  private Response retry(Request request) throws IOException {
    RunPhase phase = Phases.of(flow(request));
    if (phase != RunPhase.Failed) {
      throw new HttpError(
          409, "only a Failed flow can retry its failed tasks; this one is " + phase);
    }
    return patch(
        request,
        SteeringPatches.annotation(DroverLabels.RETRY, SteeringPatches.freshToken()),
        "retried");
  }

  private Response rerun(Request request) throws IOException {
    TaskFlow flow = flow(request);
    features
        .guard()
        .require(request.caller(), "create", "taskflows", flow.getMetadata().getNamespace());
    TaskFlow created =
        features
            .clients()
            .as(request.caller(), client -> client.resource(Reruns.of(flow)).create());
    return ActionReply.done(
        request,
        Map.of(
            "created",
            created.getMetadata().getNamespace() + "/" + created.getMetadata().getName()));
  }

  private Response listPage(Request request) {
    Page<TaskFlow> page = flows(request);
    Instant now = features.clock().instant();
    List<String[]> rows = new ArrayList<>();
    for (TaskFlow flow : page.items()) {
      TaskFlowStatus status = flow.getStatus();
      rows.add(
          new String[] {
            Html.link(path(flow), flow.getMetadata().getName()),
            esc(flow.getMetadata().getNamespace()),
            Html.phase(Phases.of(flow)),
            esc(specOf(flow).tasksOrEmpty().size()),
            esc(Times.age(flow.getMetadata().getCreationTimestamp(), now)),
            esc(
                status == null
                    ? ""
                    : Times.duration(status.startTime(), status.completionTime(), now)),
            esc(message(flow))
          });
    }
    String main =
        "<h1>Flows</h1>"
            + Html.table(
                "flows",
                new String[] {"Name", "Namespace", "Phase", "Tasks", "Age", "Duration", "Message"},
                rows);
    return features.layout().page(request, "Flows", LIVE, main);
  }

  private static String path(TaskFlow flow) {
    return "/flows/"
        + url(flow.getMetadata().getNamespace())
        + "/"
        + url(flow.getMetadata().getName());
  }

  private Response detailPage(Request request) {
    TaskFlow flow = flow(request);
    String namespace = flow.getMetadata().getNamespace();
    String name = flow.getMetadata().getName();
    RunPhase phase = Phases.of(flow);
    Map<String, FlowTaskPhase> phases = new LinkedHashMap<>();
    List<FlowTaskStatus> tasks =
        flow.getStatus() == null || flow.getStatus().tasks() == null
            ? List.of()
            : flow.getStatus().tasks();
    tasks.forEach(task -> phases.put(task.name(), task.phase()));
    String api = "/api/v1/namespaces/" + url(namespace) + "/flows/" + url(name);
    String back = path(flow);
    StringBuilder main =
        new StringBuilder("<h1>Flow ")
            .append(esc(name))
            .append("</h1><dl class=\"facts\"><dt>Phase</dt><dd id=\"flow-phase\">")
            .append(Html.phase(phase))
            .append("</dd><dt>Namespace</dt><dd>")
            .append(esc(namespace))
            .append("</dd><dt>Message</dt><dd>")
            .append(esc(message(flow)))
            .append("</dd></dl><div class=\"actions\">");
    if (!phase.isFinished() && !Boolean.TRUE.equals(specOf(flow).cancel())) {
      main.append(
          features.layout().action(request.caller(), api + "/cancel", "Cancel", back, "cancel"));
    }
    if (phase == RunPhase.Failed) {
      main.append(
          features
              .layout()
              .action(request.caller(), api + "/retry", "Retry failed tasks", back, "retry"));
    }
    main.append(
            features.layout().action(request.caller(), api + "/rerun", "Re-run", "/flows", "rerun"))
        .append("</div>")
        .append(
            FlowDrawing.svg(
                FlowDrawing.layout(specOf(flow).tasksOrEmpty(), specOf(flow).finallyOrEmpty()),
                phases));
    List<String[]> rows = new ArrayList<>();
    Map<String, TaskRun> runs = new LinkedHashMap<>();
    if (features.guard().allows(request.caller(), "list", "taskruns", namespace)) {
      features
          .cache()
          .runsOfFlow(namespace, name)
          .forEach(
              run ->
                  runs.merge(
                      ClusterCache.labels(run).get(DroverLabels.FLOW_TASK),
                      run,
                      (a, b) -> ObjectFilter.NEWEST_FIRST.compare(a, b) <= 0 ? a : b));
    }
    for (FlowTaskStatus task : tasks) {
      TaskRun run = runs.get(task.name());
      rows.add(
          new String[] {
            esc(task.name()),
            Html.phase(task.phase()),
            run == null
                ? ""
                : Html.link(
                    "/runs/" + url(namespace) + "/" + url(run.getMetadata().getName()),
                    run.getMetadata().getName()),
            esc(task.message())
          });
    }
    main.append(Html.table("flow-tasks", new String[] {"Task", "Phase", "Run", "Message"}, rows));
    return features.layout().page(request, "Flow " + name, LIVE, main.toString());
  }
}
