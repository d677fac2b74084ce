package dev.drover.console.runs;

import static dev.drover.console.web.Html.esc;
import static dev.drover.console.web.Html.link;
import static dev.drover.console.web.Html.phase;
import static dev.drover.console.web.Html.url;

import dev.drover.api.DroverLabels;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TargetResult;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunStatus;
import dev.drover.console.auth.Caller;
import dev.drover.console.cluster.ClusterCache;
import dev.drover.console.cluster.Phases;
import dev.drover.console.query.Paging.Page;
import dev.drover.console.web.Html;
import dev.drover.console.web.Layout;
import dev.drover.console.web.Request;
import dev.drover.console.web.Response;
import dev.drover.console.web.Times;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The runs list and the page of one run. */
final class RunPages {
  private static final String LIVE = "TaskRun TaskExecution";

  private final Layout layout;
  private final Clock clock;

  RunPages(Layout layout, Clock clock) {
    this.layout = layout;
    this.clock = clock;
  }

  Response list(Request request, Page<TaskRun> page) {
    Instant now = clock.instant();
    StringBuilder main = new StringBuilder("<h1>Runs</h1>");
    main.append(filterForm(request));
    List<String[]> rows = new ArrayList<>();
    for (TaskRun run : page.items()) {
      TaskRunStatus status = run.getStatus();
      rows.add(
          new String[] {
            link(path(run), run.getMetadata().getName()),
            esc(run.getMetadata().getNamespace()),
            phase(Phases.of(run)),
            esc(status == null ? "" : status.progress()),
            esc(Times.age(run.getMetadata().getCreationTimestamp(), now)),
            esc(
                status == null
                    ? ""
                    : Times.duration(status.startTime(), status.completionTime(), now)),
            "<span class=\"message\">" + esc(RunFilter.message(run)) + "</span>"
          });
    }
    main.append("<p class=\"count\" id=\"run-count\">")
        .append(page.total())
        .append(page.total() == 1 ? " run" : " runs")
        .append("</p>")
        .append(
            Html.table(
                "runs",
                new String[] {
                  "Name", "Namespace", "Phase", "Progress", "Age", "Duration", "Message"
                },
                rows));
    main.append("<p class=\"paging\">");
    if (request.query("continue").isPresent()) {
      Map<String, String> first = new LinkedHashMap<>(request.queryParams());
      first.remove("continue");
      main.append("<a id=\"first-page\" href=\"/runs?")
          .append(esc(query(first)))
          .append("\">First page</a> ");
    }
    if (page.next() != null) {
      Map<String, String> next = new LinkedHashMap<>(request.queryParams());
      next.put("continue", page.next());
      main.append("<a id=\"next-page\" href=\"/runs?")
          .append(esc(query(next)))
          .append("\">Next page</a>");
    }
    main.append("</p>");
    return layout.page(request, "Runs", LIVE, main.toString());
  }

  private static String filterForm(Request request) {
    Map<String, String> query = request.queryParams();
    StringBuilder form =
        new StringBuilder(
            "<form method=\"get\" action=\"/runs\" class=\"filters\" id=\"run-filters\">");
    for (String field : List.of("namespace", "selector", "schedule", "flow", "q")) {
      form.append("<label>")
          .append(field.equals("q") ? "text" : field)
          .append(" <input name=\"")
          .append(field)
          .append("\" value=\"")
          .append(esc(query.getOrDefault(field, "")))
          .append("\"></label>");
    }
    form.append("<label>phase <select name=\"phase\"><option value=\"\">any</option>");
    for (RunPhase phase : RunPhase.values()) {
      form.append("<option")
          .append(phase.name().equalsIgnoreCase(query.getOrDefault("phase", "")) ? " selected" : "")
          .append(">")
          .append(phase)
          .append("</option>");
    }
    return form.append("</select></label><button type=\"submit\">Filter</button></form>")
        .toString();
  }

  private static String query(Map<String, String> parameters) {
    StringBuilder query = new StringBuilder();
    parameters.forEach(
        (name, value) -> {
          if (!value.isEmpty()) {
            query
                .append(query.isEmpty() ? "" : "&")
                .append(url(name))
                .append('=')
                .append(url(value));
          }
        });
    return query.toString();
  }

  static String path(TaskRun run) {
    return "/runs/"
        + url(run.getMetadata().getNamespace())
        + "/"
        + url(run.getMetadata().getName());
  }

  Response detail(
      Request request, TaskRun run, List<TaskExecution> executions, List<Event> events) {
    Instant now = clock.instant();
    Caller caller = request.caller();
    TaskRunStatus status = run.getStatus();
    RunPhase phase = Phases.of(run);
    String namespace = run.getMetadata().getNamespace();
    String name = run.getMetadata().getName();
    String api = "/api/v1/namespaces/" + url(namespace) + "/runs/" + url(name);
    String back = path(run);
    StringBuilder main = new StringBuilder();
    main.append("<h1>Run ")
        .append(esc(name))
        .append("</h1>")
        .append("<dl class=\"facts\"><dt>Phase</dt><dd id=\"run-phase\">")
        .append(phase(phase))
        .append("</dd><dt>Namespace</dt><dd>")
        .append(esc(namespace))
        .append("</dd><dt>Progress</dt><dd id=\"run-progress\">")
        .append(esc(status == null ? "" : status.progress()))
        .append("</dd><dt>Started</dt><dd>")
        .append(esc(status == null ? "" : Times.age(status.startTime(), now) + " ago"))
        .append("</dd><dt>Duration</dt><dd>")
        .append(
            esc(
                status == null
                    ? ""
                    : Times.duration(status.startTime(), status.completionTime(), now)))
        .append("</dd>");
    String schedule = ClusterCache.labels(run).get(DroverLabels.SCHEDULED_TASK);
    if (schedule != null) {
      main.append("<dt>Schedule</dt><dd>").append(esc(schedule)).append("</dd>");
    }
    String rerunOf = ClusterCache.labels(run).get(DroverLabels.RERUN_OF);
    if (rerunOf != null) {
      main.append("<dt>Re-run of</dt><dd>")
          .append(link("/runs/" + url(namespace) + "/" + url(rerunOf), rerunOf))
          .append("</dd>");
    }
    main.append("<dt>Message</dt><dd id=\"run-message\">")
        .append(esc(RunFilter.message(run)))
        .append("</dd></dl><div class=\"actions\">");
    if (!phase.isFinished() && (run.getSpec() == null || !run.getSpec().cancelRequested())) {
      main.append(layout.action(caller, api + "/cancel", "Cancel", back, "cancel"));
    }
    if (phase == RunPhase.Failed) {
      main.append(layout.action(caller, api + "/retry", "Retry failed targets", back, "retry"));
    }
    main.append(layout.action(caller, api + "/rerun", "Re-run", "/runs", "rerun"))
        .append("</div><h2>Targets</h2>")
        .append(
            executions == null
                ? "<p class=\"hint\">You may not list executions in this namespace: no output"
                    + " tails.</p>"
                : "")
        .append(targets(status, executions == null ? List.of() : executions, now))
        .append("<h2>Events</h2>")
        .append(
            events == null
                ? "<p class=\"hint\">You may not list Events in this namespace.</p>"
                : events(events, now));
    return layout.page(request, "Run " + name, LIVE, main.toString());
  }

  /**
   * One row per target: its summary from the run's status, its output tail from the latest attempt.
   */
  private static String targets(TaskRunStatus status, List<TaskExecution> executions, Instant now) {
    Map<String, TaskExecution> latest = new LinkedHashMap<>();
    for (TaskExecution execution : executions) {
      latest.merge(
          key(execution.getSpec().target(), execution.getSpec().item()),
          execution,
          (a, b) -> a.getSpec().attempt() >= b.getSpec().attempt() ? a : b);
    }
    List<String[]> rows = new ArrayList<>();
    List<TargetResult> results =
        status == null || status.results() == null ? List.of() : status.results();
    for (TargetResult result : results) {
      TaskExecution execution = latest.remove(key(result.target(), result.item()));
      rows.add(
          new String[] {
            esc(result.target())
                + (result.item() == null
                    ? ""
                    : " <span class=\"item\">" + esc(result.item()) + "</span>"),
            phase(result.phase()),
            Integer.toString(result.attempts()),
            esc(result.exitCode()),
            esc(Times.duration(result.startTime(), result.completionTime(), now)),
            esc(result.agent() != null ? result.agent() : result.node()),
            tail(execution)
          });
    }
    // Targets the status does not list yet (just dispatched) show from their execution alone.
    for (TaskExecution execution : latest.values()) {
      var executionStatus = execution.getStatus();
      rows.add(
          new String[] {
            esc(execution.getSpec().target()),
            phase(executionStatus == null ? null : executionStatus.phase()),
            esc(execution.getSpec().attempt()),
            esc(executionStatus == null ? null : executionStatus.exitCode()),
            esc(
                executionStatus == null
                    ? ""
                    : Times.duration(
                        executionStatus.startTime(), executionStatus.completionTime(), now)),
            esc(execution.getSpec().agent()),
            tail(execution)
          });
    }
    return Html.table(
        "targets",
        new String[] {
          "Target", "Phase", "Attempts", "Exit code", "Duration", "Agent or node", "Output tail"
        },
        rows);
  }

  private static String key(String target, String item) {
    return Objects.toString(target) + "\u0000" + Objects.toString(item);
  }

  private static String tail(TaskExecution execution) {
    if (execution == null
        || execution.getStatus() == null
        || execution.getStatus().message() == null) {
      return "";
    }
    String message = execution.getStatus().message();
    String[] lines = message.split("\n");
    String lastLines =
        String.join(
            "\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 5), lines.length));
    return "<pre class=\"tail\">" + esc(lastLines) + "</pre>";
  }

  private static String events(List<Event> events, Instant now) {
    List<String[]> rows = new ArrayList<>();
    for (Event event : events) {
      rows.add(
          new String[] {
            esc(event.getType()),
            esc(event.getReason()),
            esc(event.getMessage()),
            esc(event.getCount()),
            esc(Times.age(event.getLastTimestamp(), now))
          });
    }
    return Html.table(
        "events", new String[] {"Type", "Reason", "Message", "Count", "Last seen"}, rows);
  }
}
