package dev.drover.operator.taskrun;

import dev.drover.api.execution.ExecutionPhase;

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

  static UnitState ofActive(ExecutionPhase phase) {
    return switch (phase) {
      case Queued -> QUEUED;
      case Running -> RUNNING;
      default -> PENDING;
    };
  }
}
