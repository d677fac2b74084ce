package dev.drover.operator.taskrun;

import dev.drover.api.DroverLabels;
import dev.drover.api.Timestamps;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunStatus;
import dev.drover.operator.support.ObjectEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A person's request to retry the failed targets of a finished run: each new value of the
 * annotation {@code drover.dev/retry} reopens a Failed run once. The run goes back to Running from
 * now (its deadline counts from the retry), and its retry policy grants every unit one more
 * attempt: units whose last attempt failed, timed out or was lost run again, succeeded ones stay as
 * they are. A new value on a run that is not Failed is recorded as seen and refused with a Warning.
 *
 * <p>Only the run's status changes here; the new attempts follow from it in the planner, with the
 * deterministic names that make their creation idempotent, so a restart between creating them and
 * writing the status creates none twice.
 *
 * @param run the run as the planner should see it
 * @param events what to record about the request
 */
record ManualRetry(TaskRun run, List<ObjectEvent> events) {
  static ManualRetry of(TaskRun run, Instant now) {
    String token = requested(run);
    if (token == null) {
      return new ManualRetry(run, List.of());
    }
    TaskRunStatus status = run.getStatus();
    RunPhase phase = status == null ? null : status.phase();
    if (phase != RunPhase.Failed) {
      TaskRunStatus seen =
          status == null
              ? new TaskRunStatus(
                  null, null, null, null, null, null, null, null, null, null, null, null, null,
                  null, token, null)
              : status.withRetryTokenSeen(token);
      return new ManualRetry(withStatus(run, seen), List.of(RunEvents.retryRefused(token, phase)));
    }
    TaskRunStatus reopened = status.retried(token, Timestamps.format(now));
    return new ManualRetry(
        withStatus(run, reopened), List.of(RunEvents.retried(reopened.retries(), token)));
  }

  /** The annotation's value when it asks for something not yet acted on, else null. */
  private static String requested(TaskRun run) {
    Map<String, String> annotations = run.getMetadata().getAnnotations();
    String token = annotations == null ? null : annotations.get(DroverLabels.RETRY);
    if (token == null || token.isBlank()) {
      return null;
    }
    String seen = run.getStatus() == null ? null : run.getStatus().retryToken();
    return token.equals(seen) ? null : token;
  }

  private static TaskRun withStatus(TaskRun run, TaskRunStatus status) {
    TaskRun copy = new TaskRun();
    copy.setMetadata(run.getMetadata());
    copy.setSpec(run.getSpec());
    copy.setStatus(status);
    return copy;
  }
}
