package dev.drover.cli.get;

import dev.drover.api.Timestamps;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.flow.FlowTask;
import dev.drover.api.flow.FlowTaskStatus;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.cli.support.Ages;
import dev.drover.cli.support.Table;
import dev.drover.cli.support.Targets;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** What {@code describe} prints: the object's summary, its targets or tasks as a tree, Events. */
public final class Descriptions {
  private Descriptions() {}

  public static void run(
      PrintWriter out,
      TaskRun run,
      List<TaskExecution> executions,
      List<Event> events,
      Instant now) {
    var status = run.getStatus();
    TaskRunSpec spec = run.getSpec();
    header(
        out,
        run,
        status == null
            ? null
            : new Header(
                status.phase(),
                status.reason(),
                status.message(),
                status.startTime(),
                status.completionTime()),
        now);
    if (status != null) {
      field(out, "Duration", status.duration());
      if (status.retriesOrZero() > 0) {
        field(out, "Retries", status.retries() + " (last token " + status.retryToken() + ")");
      }
    }
    if (spec.taskRef() != null) {
      field(out, "Task", spec.taskRef().name() + " " + spec.taskRef().paramsOrEmpty());
    }
    field(
        out,
        "Dispatch",
        spec.dispatch() == null && spec.taskRef() != null
            ? "from the Task"
            : spec.dispatchOrDefault());
    field(out, "Selector", selector(spec.selector()));
    if (spec.command() != null) {
      field(
          out,
          "Command",
          String.join(" ", spec.command())
              + (spec.args() == null ? "" : " " + String.join(" ", spec.args())));
    }
    if (spec.script() != null) {
      field(out, "Script", spec.script().strip().replace("\n", "\n              "));
    }
    out.println("Targets:");
    Map<String, List<TaskExecution>> byUnit =
        executions.stream().collect(Collectors.groupingBy(e -> e.getSpec().unit()));
    if (byUnit.isEmpty()) {
      out.println("  <none>");
    }
    for (TaskExecution latest : Targets.latest(executions)) {
      List<TaskExecution> attempts =
          byUnit.get(latest.getSpec().unit()).stream()
              .sorted(Comparator.comparingInt(e -> e.getSpec().attempt()))
              .toList();
      out.println(
          "  "
              + Targets.name(latest)
              + "   "
              + phase(latest)
              + "   "
              + attempts.size()
              + " attempt(s)");
      for (int i = 0; i < attempts.size(); i++) {
        out.println((i == attempts.size() - 1 ? "  └─ " : "  ├─ ") + attempt(attempts.get(i)));
      }
    }
    events(out, events, now);
    out.flush();
  }

  public static void flow(PrintWriter out, TaskFlow flow, List<Event> events, Instant now) {
    var status = flow.getStatus();
    header(
        out,
        flow,
        status == null
            ? null
            : new Header(
                status.phase(),
                status.reason(),
                status.message(),
                status.startTime(),
                status.completionTime()),
        now);
    Map<String, FlowTaskStatus> states = new HashMap<>();
    if (status != null && status.tasks() != null) {
      status.tasks().forEach(t -> states.put(t.name(), t));
    }
    out.println("Tasks (indented under what they wait for):");
    dag(flow.getSpec().tasksOrEmpty()).forEach(line -> out.println("  " + line.render(states)));
    if (!flow.getSpec().finallyOrEmpty().isEmpty()) {
      out.println("Finally:");
      flow.getSpec()
          .finallyOrEmpty()
          .forEach(t -> out.println("  " + new DagLine(t, 0, List.of()).render(states)));
    }
    events(out, events, now);
    out.flush();
  }

  /** One task of a flow's graph, at the depth of its longest chain of prerequisites. */
  record DagLine(FlowTask task, int depth, List<String> after) {
    String render(Map<String, FlowTaskStatus> states) {
      FlowTaskStatus state = states.get(task.name());
      return "  ".repeat(depth)
          + task.name()
          + "   "
          + (state == null || state.phase() == null ? "Pending" : state.phase())
          + (after.isEmpty() ? "" : "   (after " + String.join(", ", after) + ")")
          + (state == null || state.run() == null ? "" : "   run " + state.run());
    }
  }

  /** The tasks in order of depth, then as written; dependencies from dependsOn or depends. */
  static List<DagLine> dag(List<FlowTask> tasks) {
    List<String> names = tasks.stream().map(FlowTask::name).toList();
    Map<String, List<String>> prerequisites = new HashMap<>();
    for (FlowTask task : tasks) {
      List<String> after = new ArrayList<>();
      if (task.dependsOn() != null) {
        after.addAll(task.dependsOn());
      }
      if (task.depends() != null) {
        for (String word : task.depends().split("[^A-Za-z0-9-]+")) {
          if (names.contains(word) && !after.contains(word)) {
            after.add(word);
          }
        }
      }
      prerequisites.put(task.name(), after);
    }
    Map<String, Integer> depths = new HashMap<>();
    List<DagLine> lines = new ArrayList<>();
    for (FlowTask task : tasks) {
      lines.add(
          new DagLine(
              task, depth(task.name(), prerequisites, depths, 0), prerequisites.get(task.name())));
    }
    lines.sort(Comparator.comparingInt(DagLine::depth));
    return lines;
  }

  private static int depth(
      String task,
      Map<String, List<String>> prerequisites,
      Map<String, Integer> depths,
      int guard) {
    if (depths.containsKey(task)) {
      return depths.get(task);
    }
    int depth = 0;
    if (guard < prerequisites.size()) { // a cycle (refused by the operator) ends here
      for (String before : prerequisites.getOrDefault(task, List.of())) {
        depth = Math.max(depth, 1 + depth(before, prerequisites, depths, guard + 1));
      }
    }
    depths.put(task, depth);
    return depth;
  }

  private static String attempt(TaskExecution execution) {
    var status = execution.getStatus();
    List<String> parts = new ArrayList<>();
    parts.add("attempt " + execution.getSpec().attempt());
    parts.add(String.valueOf(phase(execution)));
    if (status != null && status.exitCode() != null) {
      parts.add("exit " + status.exitCode());
    }
    String where =
        execution.getSpec().agent() != null
            ? execution.getSpec().agent()
            : status == null ? null : status.node();
    if (where != null) {
      parts.add("on " + where);
    }
    if (status != null) {
      Instant start = Timestamps.parse(status.startTime());
      Instant end = Timestamps.parse(status.completionTime());
      if (start != null && end != null) {
        parts.add(Ages.of(Duration.between(start, end)));
      }
      if (status.reason() != null && !"Completed".equals(status.reason())) {
        parts.add(status.reason());
      }
    }
    return String.join("   ", parts);
  }

  private static Object phase(TaskExecution execution) {
    return Optional.ofNullable(execution.phase()).map(Object::toString).orElse("Pending");
  }

  private static void events(PrintWriter out, List<Event> events, Instant now) {
    out.println("Events:");
    if (events.isEmpty()) {
      out.println("  <none>");
      return;
    }
    Table table = new Table("  TYPE", "REASON", "AGE", "MESSAGE");
    events.stream()
        .sorted(Comparator.comparing(Descriptions::eventTime))
        .forEach(
            e ->
                table.row(
                    "  " + e.getType(),
                    e.getReason(),
                    Ages.since(eventTime(e), now),
                    e.getMessage()));
    table.print(out);
  }

  private static String eventTime(Event event) {
    if (event.getLastTimestamp() != null) {
      return event.getLastTimestamp();
    }
    return event.getEventTime() == null
        ? event.getMetadata().getCreationTimestamp()
        : event.getEventTime().getTime();
  }

  private static String when(String timestamp, Instant now) {
    return timestamp == null ? null : timestamp + " (" + Ages.since(timestamp, now) + " ago)";
  }

  private static String selector(LabelSelector selector) {
    if (selector == null || selector.getMatchLabels() == null) {
      return null;
    }
    return selector.getMatchLabels().entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /** What runs and flows both say of themselves in status. */
  private record Header(
      Object phase, String reason, String message, String startTime, String completionTime) {}

  private static void header(PrintWriter out, HasMetadata object, Header status, Instant now) {
    field(out, "Name", object.getMetadata().getName());
    field(out, "Namespace", object.getMetadata().getNamespace());
    field(out, "Phase", status == null || status.phase() == null ? "Pending" : status.phase());
    if (status != null) {
      field(out, "Reason", status.reason());
      field(out, "Message", status.message());
      field(out, "Started", when(status.startTime(), now));
      field(out, "Completed", when(status.completionTime(), now));
    }
  }

  private static void field(PrintWriter out, String name, Object value) {
    if (value != null) {
      out.printf("%-14s%s%n", name + ":", value);
    }
  }
}
