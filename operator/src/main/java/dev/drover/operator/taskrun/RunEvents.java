package dev.drover.operator.taskrun;

import dev.drover.api.DroverLabels;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.SkippedTargets;
import dev.drover.operator.support.ObjectEvent;
import java.util.Set;

/** The Events a run raises, each keyed so that recording it again yields the same Event. */
final class RunEvents {
  /** Reasons that say no more than a non-zero exit code does (an agent's and a kubelet's). */
  private static final Set<String> GENERIC_FAILURE_REASONS = Set.of("NonZeroExit", "Error");

  private RunEvents() {}

  static ObjectEvent started(int targets, Dispatch dispatch) {
    return ObjectEvent.normal(
        "started", "Started", "dispatching to " + targets + " target(s) (" + dispatch + ")");
  }

  /** Keyed by retry, so that a retried run's end is an Event of its own. */
  static ObjectEvent finished(RunEnd end, String message, int retry) {
    return new ObjectEvent(
        retry == 0 ? "finished" : "finished/retry-" + retry, end.eventReason, message, end.warns());
  }

  static ObjectEvent skipped(SkippedTargets skipped) {
    return ObjectEvent.normal("skipped", "TargetsSkipped", skipped.describe());
  }

  static ObjectEvent retried(int retry, String token) {
    return ObjectEvent.normal(
        "retry/" + retry,
        "RetryRequested",
        "retry " + retry + " of the failed targets, asked by " + DroverLabels.RETRY + "=" + token);
  }

  static ObjectEvent retryRefused(String token, RunPhase phase) {
    return ObjectEvent.warning(
        "retry-refused/" + token,
        "RetryRefused",
        DroverLabels.RETRY
            + "="
            + token
            + " ignored: only a Failed run can be retried, this one is "
            + (phase == null ? "Pending" : phase));
  }

  /** Keyed by unit and attempt: announced when retried and again when final, recorded once. */
  static ObjectEvent timedOut(Unit unit) {
    return ObjectEvent.warning(
        "timeout/" + unit.key() + "/" + unit.attemptCount(),
        "TimedOut",
        "attempt " + unit.attemptCount() + " of " + unit.displayName() + " timed out");
  }

  /** Attempt {@code next} of the unit starts {@code where} (on an agent, in a pod). */
  static ObjectEvent retrying(Unit unit, int next, String where) {
    TaskExecution failed = unit.latest();
    String what = failed.phase() == ExecutionPhase.TimedOut ? "timed out" : describeFailure(failed);
    return ObjectEvent.warning(
        "retry/" + unit.key() + "/" + next,
        "Retrying",
        "attempt "
            + unit.attemptCount()
            + " of "
            + unit.displayName()
            + " "
            + what
            + "; attempt "
            + next
            + " runs "
            + where);
  }

  static String describeFailure(TaskExecution execution) {
    var status = execution.getStatus();
    if (status.phase() == ExecutionPhase.Lost) {
      return "was lost (" + status.reason() + ")";
    }
    if (status.exitCode() == null) {
      return "failed (" + status.reason() + ")";
    }
    boolean telling = status.reason() != null && !GENERIC_FAILURE_REASONS.contains(status.reason());
    return "exited with code " + status.exitCode() + (telling ? " (" + status.reason() + ")" : "");
  }
}
