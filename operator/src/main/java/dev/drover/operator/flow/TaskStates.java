package dev.drover.operator.flow;

import dev.drover.api.DroverLabels;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.flow.FlowTask;
import dev.drover.api.flow.FlowTaskPhase;
import dev.drover.api.flow.FlowTaskStatus;
import dev.drover.api.flow.WhenExpression;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.operator.task.References;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;

/**
 * Where each task of a flow stands, derived from the runs the flow owns and the outcomes of what it
 * depends on. A task with a run takes the run's phase; one without is waiting, skipped (its
 * condition or a guard is false, or the flow stopped) or ready to start.
 */
final class TaskStates {
  /**
   * @param run the run carrying the task out in this try (or a success kept from an earlier one)
   * @param toCreate its condition holds and nothing stops it: the run the pass may create
   */
  record TaskState(
      FlowTask task, FlowTaskPhase phase, TaskRun run, String message, TaskRun toCreate) {
    static TaskState waiting(FlowTask task, String message) {
      return new TaskState(task, FlowTaskPhase.Pending, null, message, null);
    }

    static TaskState skipped(FlowTask task, String message) {
      return new TaskState(task, FlowTaskPhase.Skipped, null, message, null);
    }

    /**
     * A task whose run settled and was deleted since (by hand, or its ttlSecondsAfterFinished): the
     * flow's status remembers how it ended, so it is not run again.
     */
    static TaskState ofRecord(FlowTask task, FlowTaskStatus record) {
      return new TaskState(
          task,
          record.phase(),
          null,
          "its TaskRun " + record.run() + " is gone; it ended " + record.phase(),
          null);
    }

    static TaskState ofRun(FlowTask task, TaskRun run) {
      FlowTaskPhase phase = phaseOf(run);
      String message = run.getStatus() == null ? null : run.getStatus().message();
      if (phase == FlowTaskPhase.Failed && message != null) {
        message += firstFailure(run);
      }
      return new TaskState(task, phase, run, message, null);
    }

    /**
     * The first failed target of a failed run, in a few words, so that the flow's status and Events
     * say what went wrong without a look at the run.
     */
    private static String firstFailure(TaskRun run) {
      if (run.getStatus().results() == null) {
        return "";
      }
      return run.getStatus().results().stream()
          .filter(r -> r.phase() != null && r.phase() != ExecutionPhase.Succeeded)
          .findFirst()
          .map(
              r ->
                  "; "
                      + (r.target() != null ? r.target() : r.item() != null ? r.item() : "target")
                      + ": "
                      + (r.reason() == null ? r.phase() : r.reason())
                      + (r.exitCode() == null ? "" : " (exit " + r.exitCode() + ")")
                      + lastLine(r.message()))
          .orElse("");
    }

    private static String lastLine(String output) {
      if (output == null || output.isBlank()) {
        return "";
      }
      String[] lines = output.strip().split("\n");
      String last = lines[lines.length - 1].strip();
      return ": " + (last.length() <= 200 ? last : last.substring(0, 197) + "...");
    }

    /** What a ready task comes to: its run to create, a failure to start, or a skip. */
    static TaskState ready(FlowTask task, FlowRuns.Built built) {
      if (built.noItems()) {
        return skipped(task, built.problem());
      }
      if (built.problem() != null) {
        return new TaskState(task, FlowTaskPhase.Failed, null, built.problem(), null);
      }
      return new TaskState(task, FlowTaskPhase.Pending, null, "starting", built.run());
    }

    boolean failed() {
      return phase == FlowTaskPhase.Failed || phase == FlowTaskPhase.Cancelled;
    }
  }

  private final FlowGraph graph;
  private final Map<String, TaskRun> runs;
  private final Function<String, String> resultOf;
  private final Function<FlowTask, FlowRuns.Built> build;
  private final Map<String, FlowTaskStatus> gone;
  private final String stopReason;
  private final Map<String, TaskState> states = new LinkedHashMap<>();

  private TaskStates(
      FlowGraph graph,
      Map<String, TaskRun> runs,
      Function<String, String> resultOf,
      Function<FlowTask, FlowRuns.Built> build,
      Map<String, FlowTaskStatus> gone,
      String stopReason) {
    this.graph = graph;
    this.runs = runs;
    this.resultOf = resultOf;
    this.build = build;
    this.gone = gone;
    this.stopReason = stopReason;
  }

  /**
   * The states of the main tasks, in spec order.
   *
   * @param runs each task's current run, by task name
   * @param resultOf a task's result, "" when it has none
   * @param build the run of a task that is ready to start
   * @param gone what the status recorded of tasks of this try whose settled runs are gone
   * @param stopReason why no new task may start (cancel, deadline, failFast); null if none
   */
  static Map<String, TaskState> of(
      FlowGraph graph,
      Map<String, TaskRun> runs,
      Function<String, String> resultOf,
      Function<FlowTask, FlowRuns.Built> build,
      Map<String, FlowTaskStatus> gone,
      String stopReason) {
    TaskStates pass = new TaskStates(graph, runs, resultOf, build, gone, stopReason);
    Map<String, TaskState> ordered = new LinkedHashMap<>();
    graph.tasks().forEach(t -> ordered.put(t.name(), pass.state(t)));
    return ordered;
  }

  /**
   * The run that stands for each task in this try: the newest run of the current retry, or a
   * success of an earlier try (a retry keeps what succeeded), except for finally tasks, which run
   * again after every try.
   */
  static Map<String, TaskRun> currentRuns(
      List<TaskRun> owned, int retry, Set<String> finallyTasks) {
    Map<String, TaskRun> current = new HashMap<>();
    owned.stream()
        .sorted(Comparator.comparingInt(TaskStates::retryOf))
        .forEach(
            run -> {
              String task = run.getMetadata().getLabels().get(DroverLabels.FLOW_TASK);
              boolean kept = succeeded(run) && !finallyTasks.contains(task);
              if (task != null && (retryOf(run) == retry || kept)) {
                current.put(task, run);
              }
            });
    return current;
  }

  static int retryOf(TaskRun run) {
    try {
      return Integer.parseInt(
          run.getMetadata().getLabels().getOrDefault(DroverLabels.FLOW_RETRY, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static FlowTaskPhase phaseOf(TaskRun run) {
    RunPhase phase = run.getStatus() == null ? null : run.getStatus().phase();
    if (phase == null) {
      return FlowTaskPhase.Running;
    }
    return switch (phase) {
      case Pending, Running -> FlowTaskPhase.Running;
      case Succeeded -> FlowTaskPhase.Succeeded;
      case Failed -> FlowTaskPhase.Failed;
      case Cancelled -> FlowTaskPhase.Cancelled;
    };
  }

  private static boolean succeeded(TaskRun run) {
    return phaseOf(run) == FlowTaskPhase.Succeeded;
  }

  private TaskState state(FlowTask task) {
    TaskState known = states.get(task.name());
    if (known != null) {
      return known;
    }
    TaskState state = derive(task);
    states.put(task.name(), state);
    return state;
  }

  private TaskState derive(FlowTask task) {
    TaskRun run = runs.get(task.name());
    if (run != null) {
      return TaskState.ofRun(task, run);
    }
    if (gone.containsKey(task.name())) {
      return TaskState.ofRecord(task, gone.get(task.name()));
    }
    DependsExpression condition = graph.condition(task.name());
    for (String upstream : condition.tasks()) {
      graph.tasks().stream()
          .filter(t -> t.name().equals(upstream))
          .findFirst()
          .ifPresent(this::state);
    }
    Optional<Boolean> holds = condition.evaluate(name -> states.get(name).phase());
    if (holds.isEmpty()) {
      return TaskState.waiting(task, "waiting for " + String.join(", ", unsettled(condition)));
    }
    if (!holds.get()) {
      return TaskState.skipped(
          task,
          task.depends() != null
              ? "depends is false: " + task.depends()
              : "not all of " + String.join(", ", task.dependsOnOrEmpty()) + " succeeded");
    }
    if (stopReason != null) {
      return TaskState.skipped(task, "not started: " + stopReason);
    }
    for (WhenExpression guard : task.whenOrEmpty()) {
      String input = withResults(guard.input());
      boolean in = guard.values().contains(input);
      if (in != (guard.operator() == WhenExpression.Operator.In)) {
        return TaskState.skipped(
            task, "when: \"" + input + "\" " + (in ? "is" : "is not") + " in " + guard.values());
      }
    }
    return TaskState.ready(task, build.apply(task));
  }

  private List<String> unsettled(DependsExpression condition) {
    return condition.tasks().stream()
        .filter(name -> !states.get(name).phase().isSettled())
        .toList();
  }

  /** A guard's input with each task result in it put as text. */
  private String withResults(String input) {
    Matcher m = References.pattern().matcher(input);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String task = References.taskOf(m.group(1));
      m.appendReplacement(
          out, Matcher.quoteReplacement(task == null ? m.group() : resultOf.apply(task)));
    }
    m.appendTail(out);
    return out.toString();
  }
}
