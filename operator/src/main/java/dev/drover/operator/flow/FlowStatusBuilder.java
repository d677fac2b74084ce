package dev.drover.operator.flow;

import dev.drover.api.Timestamps;
import dev.drover.api.flow.FlowTaskPhase;
import dev.drover.api.flow.FlowTaskStatus;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.flow.TaskFlowStatus;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.operator.flow.TaskStates.TaskState;
import dev.drover.operator.support.Conditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one place a flow's status is put together from its tasks' states. */
final class FlowStatusBuilder {
  private FlowStatusBuilder() {}

  static String runningSummary(List<TaskState> states) {
    long settled = states.stream().filter(s -> s.phase().isSettled()).count();
    return settled + " of " + states.size() + " tasks settled";
  }

  static TaskFlowStatus status(
      FlowContext ctx,
      FlowTry attempt,
      Outcome outcome,
      List<TaskState> states,
      List<TaskRun> create,
      FlowGraph graph,
      Instant completion) {
    List<FlowTaskStatus> tasks = new ArrayList<>();
    for (TaskState state : states) {
      TaskRun run = state.run();
      boolean starting = state.toCreate() != null && create.contains(state.toCreate());
      FlowTaskPhase phase = starting ? FlowTaskPhase.Running : state.phase();
      String message =
          state.toCreate() != null && !starting
              ? "waiting for room: parallelism " + ctx.flow().getSpec().parallelism()
              : state.message();
      String runName =
          run != null
              ? run.getMetadata().getName()
              : starting ? state.toCreate().getMetadata().getName() : null;
      String result =
          phase == FlowTaskPhase.Succeeded && run != null && run.getStatus() != null
              ? run.getStatus().result()
              : null;
      tasks.add(
          new FlowTaskStatus(
              state.task().name(),
              phase,
              runName,
              run == null || run.getStatus() == null ? null : run.getStatus().startTime(),
              run == null || run.getStatus() == null ? null : run.getStatus().completionTime(),
              result,
              state.failed() && FlowPlanner.handled(graph, state) ? Boolean.TRUE : null,
              message));
    }
    long settled = tasks.stream().filter(t -> t.phase().isSettled()).count();
    List<String> running =
        tasks.stream()
            .filter(t -> t.phase() == FlowTaskPhase.Running)
            .map(FlowTaskStatus::name)
            .toList();
    TaskFlow flow = ctx.flow();
    Long generation = flow.getMetadata().getGeneration();
    var previous = flow.getStatus() == null ? null : flow.getStatus().conditions();
    String now = Timestamps.format(ctx.now());
    String succeeded =
        outcome.phase() == RunPhase.Succeeded
            ? "True"
            : outcome.phase().isFinished() ? "False" : "Unknown";
    boolean failedFlow = outcome.phase() == RunPhase.Failed;
    return new TaskFlowStatus(
        outcome.phase(),
        outcome.reason(),
        outcome.message(),
        Timestamps.format(attempt.start()),
        completion == null ? null : Timestamps.format(completion),
        settled + "/" + tasks.size(),
        running.isEmpty() ? null : String.join(",", running),
        tasks,
        attempt.retries() == 0 ? null : attempt.retries(),
        attempt.token(),
        List.of(
            Conditions.of(
                "Succeeded",
                succeeded,
                outcome.reason(),
                outcome.message(),
                generation,
                now,
                previous),
            Conditions.of(
                "Failed",
                failedFlow,
                failedFlow ? outcome.reason() : "NotFailed",
                failedFlow ? outcome.message() : "",
                generation,
                now,
                previous)),
        generation);
  }

  /** How the flow ends once every task has settled. */
  record Outcome(RunPhase phase, String reason, String message) {
    static Outcome of(
        boolean cancelled, boolean deadlinePassed, List<String> failed, List<TaskState> states) {
      String counts = counts(states);
      if (cancelled) {
        return new Outcome(RunPhase.Cancelled, "Cancelled", "cancelled; " + counts);
      }
      if (deadlinePassed) {
        return new Outcome(
            RunPhase.Failed, "DeadlineExceeded", "activeDeadlineSeconds passed; " + counts);
      }
      if (!failed.isEmpty()) {
        return new Outcome(
            RunPhase.Failed,
            "TasksFailed",
            "task"
                + (failed.size() == 1 ? " " : "s ")
                + String.join(", ", failed)
                + " failed; "
                + counts);
      }
      return new Outcome(RunPhase.Succeeded, "Completed", counts);
    }

    private static String counts(List<TaskState> states) {
      Map<FlowTaskPhase, Integer> byPhase = new LinkedHashMap<>();
      states.forEach(s -> byPhase.merge(s.phase(), 1, Integer::sum));
      List<String> parts = new ArrayList<>();
      byPhase.forEach((phase, n) -> parts.add(n + " " + phase.name().toLowerCase()));
      return String.join(", ", parts);
    }
  }
}
