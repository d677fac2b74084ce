package dev.drover.operator.taskrun;

import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.taskrun.RetryPolicy;

/** Where one unit of a run stands, as counted in the run's status. */
enum UnitState {
  PENDING,
  QUEUED,
  RUNNING,
  RETRYING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  boolean isSettled() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  /**
   * Derived from the unit's latest attempt alone: unplaced work of a stopped run counts as
   * cancelled, and a failure with retries left (while the run goes on) as retrying.
   */
  static UnitState of(Unit unit, Stop stop, RetryPolicy retries) {
    if (unit.unborn()) {
      // Only a batched run leaves work without an execution until an agent has room for it.
      return stop == null ? PENDING : CANCELLED;
    }
    ExecutionPhase phase = unit.latest().phase();
    if (!phase.isFinished()) {
      if (!unit.latest().dispatched()) {
        return stop == null ? PENDING : CANCELLED;
      }
      return switch (phase) {
        case Queued -> QUEUED;
        case Running -> RUNNING;
        default -> PENDING;
      };
    }
    if (phase.isFailure() && unit.attemptCount() <= retries.limitOrDefault() && stop == null) {
      return RETRYING;
    }
    return switch (phase) {
      case Succeeded -> SUCCEEDED;
      case Cancelled -> CANCELLED;
      default -> FAILED;
    };
  }
}
