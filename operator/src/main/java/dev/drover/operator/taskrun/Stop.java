package dev.drover.operator.taskrun;

/** Why a run takes no new work any more, and how it ends once its units have settled. */
enum Stop {
  CANCELLED(true, RunEnd.CANCELLED),
  DEADLINE_EXCEEDED(true, RunEnd.DEADLINE_EXCEEDED),
  MAX_FAILURES_REACHED(false, RunEnd.MAX_FAILURES_REACHED);

  /** Whether running attempts are stopped too, or allowed to finish. */
  final boolean stopsRunning;

  final RunEnd end;

  Stop(boolean stopsRunning, RunEnd end) {
    this.stopsRunning = stopsRunning;
    this.end = end;
  }
}
