package dev.drover.operator.flow;

import dev.drover.api.DroverLabels;
import dev.drover.api.Timestamps;
import dev.drover.api.flow.FlowTask;
import dev.drover.api.flow.FlowTaskPhase;
import dev.drover.api.flow.FlowTaskStatus;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.flow.TaskFlowSpec;
import dev.drover.api.flow.TaskFlowStatus;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.operator.flow.TaskStates.TaskState;
import dev.drover.operator.support.ObjectEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides what happens next to a flow from the runs it owns: which tasks start, which runs are
 * cancelled, and the status. Pure: no API calls, no clock.
 */
final class FlowPlanner {
  private FlowPlanner() {}

  static FlowDecision decide(FlowContext ctx) {
    TaskFlow flow = ctx.flow();
    TaskFlowSpec spec = flow.getSpec();
    TaskFlowStatus previous = flow.getStatus();
    // A finished flow (an invalid one included) is left as it is, unless a retry asks for more.
    FlowTry attempt = FlowTry.of(flow, ctx.now());
    if (attempt == null) {
      return new FlowDecision(previous, List.of(), List.of(), List.of(), null);
    }
    List<String> problems = spec == null ? List.of("spec is required") : FlowProblems.of(spec);
    if (!problems.isEmpty()) {
      return invalid(ctx, problems);
    }
    FlowGraph graph = FlowGraph.ofValid(spec);
    Set<String> finallyNames =
        graph.finallyTasks().stream().map(FlowTask::name).collect(Collectors.toSet());
    Map<String, TaskRun> current =
        TaskStates.currentRuns(ctx.runs(), attempt.retries(), finallyNames);
    Function<String, String> resultOf =
        task -> {
          TaskRun run = current.get(task);
          return run == null || !TaskStates.phaseOf(run).isSettled()
              ? ""
              : ctx.resultOf().apply(run);
        };
    Function<FlowTask, FlowRuns.Built> build =
        task -> FlowRuns.build(flow, task, attempt.retries(), resultOf);
    boolean deadlinePassed =
        spec.activeDeadlineSeconds() != null
            && !ctx.now().isBefore(attempt.start().plusSeconds(spec.activeDeadlineSeconds()));
    String stopReason = stopReason(spec, deadlinePassed, graph, current);
    Map<String, FlowTaskStatus> gone = gone(flow, attempt.retries(), current, finallyNames);
    Map<String, TaskState> main = TaskStates.of(graph, current, resultOf, build, gone, stopReason);
    List<TaskState> all = new ArrayList<>(main.values());
    all.addAll(finallyStates(graph, current, gone, build, main).values());
    List<TaskRun> create = withinParallelism(spec, all);
    List<TaskRun> cancel =
        spec.cancelRequested() || deadlinePassed ? running(main.values()) : List.of();
    // A handled failure keeps failFast from stopping the flow, so its handler can run; the flow
    // still ends Failed unless the task may fail (continueOnFailure), as Celery's errbacks do.
    List<String> failed =
        all.stream()
            .filter(s -> s.failed() && !s.task().continuesOnFailure())
            .map(s -> s.task().name())
            .toList();
    boolean settled = all.stream().allMatch(s -> s.phase().isSettled());
    FlowStatusBuilder.Outcome outcome =
        settled
            ? FlowStatusBuilder.Outcome.of(spec.cancelRequested(), deadlinePassed, failed, all)
            : new FlowStatusBuilder.Outcome(
                RunPhase.Running, "Running", FlowStatusBuilder.runningSummary(all));
    List<ObjectEvent> events = new ArrayList<>(attempt.events());
    events.addAll(startEvents(create));
    events.addAll(failureEvents(graph, all, attempt.retries()));
    if (settled) {
      events.add(
          new ObjectEvent(
              "end/" + attempt.retries(),
              outcome.reason(),
              outcome.message(),
              outcome.phase() != RunPhase.Succeeded));
    }
    TaskFlowStatus status =
        FlowStatusBuilder.status(
            ctx, attempt, outcome, all, create, graph, settled ? ctx.now() : null);
    Duration requeue =
        !settled && spec.activeDeadlineSeconds() != null && !deadlinePassed
            ? Duration.between(ctx.now(), attempt.start().plusSeconds(spec.activeDeadlineSeconds()))
            : null;
    return new FlowDecision(status, create, cancel, events, requeue);
  }

  /** Why no new task may start: a cancel, the deadline, or (failFast) an unhandled failure. */
  private static String stopReason(
      TaskFlowSpec spec, boolean deadlinePassed, FlowGraph graph, Map<String, TaskRun> current) {
    if (spec.cancelRequested()) {
      return "the flow was cancelled";
    }
    if (deadlinePassed) {
      return "the flow's activeDeadlineSeconds passed";
    }
    List<String> failed = unhandled(graph, statesOfRuns(graph, current));
    return spec.failFastOrDefault() && !failed.isEmpty()
        ? "failFast: task " + failed.get(0) + " failed"
        : null;
  }

  /** The finally tasks: each waits until every main task has settled, then runs. */
  private static Map<String, TaskState> finallyStates(
      FlowGraph graph,
      Map<String, TaskRun> current,
      Map<String, FlowTaskStatus> gone,
      Function<FlowTask, FlowRuns.Built> build,
      Map<String, TaskState> main) {
    boolean mainSettled = main.values().stream().allMatch(s -> s.phase().isSettled());
    Map<String, TaskState> states = new LinkedHashMap<>();
    for (FlowTask task : graph.finallyTasks()) {
      TaskRun run = current.get(task.name());
      states.put(
          task.name(),
          run != null
              ? TaskState.ofRun(task, run)
              : gone.containsKey(task.name())
                  ? TaskState.ofRecord(task, gone.get(task.name()))
                  : mainSettled
                      ? TaskState.ready(task, build.apply(task))
                      : TaskState.waiting(task, "runs after the other tasks have settled"));
    }
    return states;
  }

  /** Runs of these tasks still going and not yet asked to stop. */
  private static List<TaskRun> running(Collection<TaskState> states) {
    return states.stream()
        .filter(s -> s.run() != null && !s.phase().isSettled())
        .filter(s -> !s.run().getSpec().cancelRequested())
        .map(TaskState::run)
        .toList();
  }

  private static List<ObjectEvent> startEvents(List<TaskRun> create) {
    return create.stream()
        .map(
            run ->
                ObjectEvent.normal(
                    "start/" + run.getMetadata().getName(),
                    "TaskStarted",
                    "task "
                        + run.getMetadata().getLabels().get(DroverLabels.FLOW_TASK)
                        + " started as TaskRun "
                        + run.getMetadata().getName()))
        .toList();
  }

  private static List<ObjectEvent> failureEvents(
      FlowGraph graph, List<TaskState> states, int retries) {
    return states.stream()
        .filter(TaskState::failed)
        .map(
            state ->
                new ObjectEvent(
                    "failed/" + state.task().name() + "/" + retries,
                    "TaskFailed",
                    "task "
                        + state.task().name()
                        + " failed"
                        + (handled(graph, state) ? " (handled)" : "")
                        + (state.message() == null ? "" : ": " + state.message()),
                    !state.task().continuesOnFailure()))
        .toList();
  }

  /**
   * Tasks the status shows settled in this try whose runs no longer exist: a run of this try, or a
   * success of an earlier one (kept, as its run would be, unless the task is a finally task).
   */
  private static Map<String, FlowTaskStatus> gone(
      TaskFlow flow, int retries, Map<String, TaskRun> current, Set<String> finallyNames) {
    Map<String, FlowTaskStatus> gone = new LinkedHashMap<>();
    if (flow.getStatus() == null || flow.getStatus().tasks() == null) {
      return gone;
    }
    for (FlowTaskStatus record : flow.getStatus().tasks()) {
      boolean ofThisTry =
          record.run() != null
              && (record.run().equals(FlowRuns.runName(flow, record.name(), retries))
                  || (record.phase() == FlowTaskPhase.Succeeded
                      && !finallyNames.contains(record.name())));
      if (ofThisTry && record.phase().isSettled() && !current.containsKey(record.name())) {
        gone.put(record.name(), record);
      }
    }
    return gone;
  }

  /** States known from runs alone, before any task is started this pass. */
  private static Map<String, TaskState> statesOfRuns(FlowGraph graph, Map<String, TaskRun> runs) {
    Map<String, TaskState> states = new LinkedHashMap<>();
    graph.tasks().stream()
        .filter(t -> runs.containsKey(t.name()))
        .forEach(t -> states.put(t.name(), TaskState.ofRun(t, runs.get(t.name()))));
    return states;
  }

  /** A failure some depends expression reacts to, or one the task is allowed. */
  static boolean handled(FlowGraph graph, TaskState state) {
    return state.task().continuesOnFailure() || graph.handled(state.task().name());
  }

  /** Failed main tasks that no depends expression handles and that may not fail. */
  private static List<String> unhandled(FlowGraph graph, Map<String, TaskState> states) {
    return states.values().stream()
        .filter(TaskState::failed)
        .filter(s -> !s.task().continuesOnFailure() && !graph.handled(s.task().name()))
        .map(s -> s.task().name())
        .toList();
  }

  /** Ready runs, as many as parallelism leaves room for next to those running. */
  private static List<TaskRun> withinParallelism(TaskFlowSpec spec, List<TaskState> states) {
    long running = states.stream().filter(s -> s.run() != null && !s.phase().isSettled()).count();
    long room = spec.parallelism() == null ? Long.MAX_VALUE : spec.parallelism() - running;
    return states.stream()
        .map(TaskState::toCreate)
        .filter(run -> run != null)
        .limit(Math.max(0, room))
        .toList();
  }

  private static FlowDecision invalid(FlowContext ctx, List<String> problems) {
    String message = "invalid spec: " + String.join("; ", problems);
    FlowStatusBuilder.Outcome outcome =
        new FlowStatusBuilder.Outcome(RunPhase.Failed, "InvalidSpec", message);
    FlowTry attempt = new FlowTry(0, null, ctx.now(), List.of());
    TaskFlowStatus previous = ctx.flow().getStatus();
    Instant completion =
        previous != null && previous.completionTime() != null
            ? Timestamps.parse(previous.completionTime())
            : ctx.now();
    TaskFlowStatus status =
        FlowStatusBuilder.status(ctx, attempt, outcome, List.of(), List.of(), null, completion);
    return new FlowDecision(
        status,
        List.of(),
        List.of(),
        List.of(ObjectEvent.warning("invalid/" + message.hashCode(), "InvalidSpec", message)),
        null);
  }
}
