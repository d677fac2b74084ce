package dev.drover.operator.taskrun;

import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.TaskRunStatus;
import dev.drover.operator.support.ObjectEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What to do about one run, computed without side effects.
 *
 * @param create executions to create (creation is idempotent: names are deterministic)
 * @param dispatch existing executions with their agent now set
 * @param cancel executions to stop
 * @param recordedOutcomes outcomes written on behalf of agents that cannot report them
 * @param requeueAfter when to look again although nothing changed, or null
 */
record RunDecision(
    List<TaskExecution> create,
    List<TaskExecution> dispatch,
    List<TaskExecution> cancel,
    List<RecordedOutcome> recordedOutcomes,
    TaskRunStatus status,
    List<ObjectEvent> events,
    Duration requeueAfter,
    boolean delete) {

  /** An outcome the operator records for an execution whose agent cannot report it. */
  record RecordedOutcome(
      TaskExecution execution, ExecutionPhase phase, String reason, String message) {}

  static RunDecision statusOnly(
      TaskRunStatus status, List<ObjectEvent> events, Duration requeueAfter) {
    return new RunDecision(
        List.of(), List.of(), List.of(), List.of(), status, events, requeueAfter, false);
  }

  static RunDecision deletion() {
    return new RunDecision(List.of(), List.of(), List.of(), List.of(), null, List.of(), null, true);
  }

  /** The same decision, recording {@code first} before its own events. */
  RunDecision withEventsBefore(List<ObjectEvent> first) {
    if (first.isEmpty()) {
      return this;
    }
    List<ObjectEvent> all = new ArrayList<>(first);
    all.addAll(events);
    return new RunDecision(
        create, dispatch, cancel, recordedOutcomes, status, all, requeueAfter, delete);
  }
}
