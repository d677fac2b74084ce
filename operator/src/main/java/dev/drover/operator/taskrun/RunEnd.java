package dev.drover.operator.taskrun;

import dev.drover.api.taskrun.RunPhase;

/**
 * How a run ends: the phase and reason its status shows, the Event it raises and how the status
 * message opens. The one table of run outcomes; nothing else switches on their names.
 */
enum RunEnd {
  COMPLETED(RunPhase.Succeeded, "Completed", "Succeeded", ""),
  TARGETS_FAILED(RunPhase.Failed, "TargetsFailed", "Failed", ""),
  TARGETS_CANCELLED(RunPhase.Failed, "TargetsCancelled", "Failed", ""),
  MAX_FAILURES_REACHED(
      RunPhase.Failed,
      "MaxFailuresReached",
      "Failed",
      "maxFailures reached, no new targets started; "),
  DEADLINE_EXCEEDED(
      RunPhase.Failed,
      "DeadlineExceeded",
      "Failed",
      "the run exceeded its activeDeadlineSeconds; "),
  CANCELLED(RunPhase.Cancelled, "Cancelled", "Cancelled", "cancelled; "),
  INVALID_SPEC(RunPhase.Failed, "InvalidSpec", "InvalidSpec", "invalid spec: "),
  NO_TARGETS(RunPhase.Failed, "NoTargets", "NoTargets", "");

  final RunPhase phase;
  final String reason;
  final String eventReason;
  private final String messagePrefix;

  RunEnd(RunPhase phase, String reason, String eventReason, String messagePrefix) {
    this.phase = phase;
    this.reason = reason;
    this.eventReason = eventReason;
    this.messagePrefix = messagePrefix;
  }

  /** The status message: what ended the run, then {@code detail}. */
  String message(String detail) {
    return messagePrefix + detail;
  }

  /** Failures warn; success and a cancellation someone asked for do not. */
  boolean warns() {
    return phase == RunPhase.Failed;
  }
}
