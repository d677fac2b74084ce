package dev.drover.operator.pod;

import dev.drover.api.Timestamps;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionSpec;
import dev.drover.api.execution.TaskExecutionStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides the next step of one pod attempt from the execution and its pod as the caches show them:
 * create the pod, mirror its state, fail it when it cannot start, delete it when stopped. Pure: no
 * API calls, no clock.
 */
final class PodProgress {
  static final String NAME_TAKEN = "PodNameTaken";

  private PodProgress() {}

  static PodStep decide(TaskExecution execution, Optional<Pod> found, Instant now) {
    TaskExecutionSpec spec = execution.getSpec();
    if (!spec.runsInPod() || !spec.dispatched()) {
      return PodStep.NOTHING;
    }
    Optional<Pod> pod =
        found.filter(
            p -> p.getMetadata().getDeletionTimestamp() == null || PodStates.isTerminal(p));
    if (execution.phase().isFinished()) {
      // Stopped by the operator (timeout backstop, cancel): a pod still going is deleted.
      boolean stillGoing = pod.isPresent() && !PodStates.isTerminal(pod.get());
      return stillGoing ? new PodStep(null, true, null, null) : PodStep.NOTHING;
    }
    if (pod.isEmpty()) {
      // A pod created before and now gone, or going, must not run twice: its attempt has ended.
      boolean createdBefore =
          found.isPresent()
              || (execution.getStatus() != null
                  && !NAME_TAKEN.equals(execution.getStatus().reason()));
      return createdBefore ? gone(execution, now) : absent(execution, now);
    }
    Pod current = pod.get();
    if (PodStates.isTerminal(current)) {
      return PodStep.report(PodStates.finished(current, now));
    }
    if (spec.cancelRequested()) {
      return new PodStep(
          null,
          true,
          stopped(execution, ExecutionPhase.Cancelled, "Cancelled", "pod deleted on cancel", now),
          null);
    }
    if (PodStates.phase(current).equals("Running")) {
      return PodStep.report(PodStates.running(current));
    }
    return pending(current, spec, now);
  }

  /** No pod yet: create it, unless the attempt was cancelled first. */
  private static PodStep absent(TaskExecution execution, Instant now) {
    if (execution.getSpec().cancelRequested()) {
      return PodStep.report(
          stopped(
              execution,
              ExecutionPhase.Cancelled,
              "Cancelled",
              "cancelled before its pod was created",
              now));
    }
    Pod pod = PodRenderer.render(execution);
    TaskExecutionStatus created =
        TaskExecutionStatus.of(
            ExecutionPhase.Pending, "PodCreated", "pod " + pod.getMetadata().getName());
    // Our own creation wakes nobody, so the first look at the start bound is booked now.
    return new PodStep(
        pod,
        false,
        created,
        Duration.ofSeconds(execution.getSpec().pod().startTimeoutSecondsOrDefault()));
  }

  /**
   * The pod is gone or being deleted: by our cancel, or by someone else (eviction, drain) before it
   * finished.
   */
  private static PodStep gone(TaskExecution execution, Instant now) {
    if (execution.getSpec().cancelRequested()) {
      return PodStep.report(
          stopped(execution, ExecutionPhase.Cancelled, "Cancelled", "pod deleted on cancel", now));
    }
    return PodStep.report(
        stopped(
            execution,
            ExecutionPhase.Lost,
            "PodDeleted",
            "pod " + execution.getMetadata().getName() + " was deleted before it finished",
            now));
  }

  private static PodStep pending(Pod pod, TaskExecutionSpec spec, Instant now) {
    long bound = spec.pod().startTimeoutSecondsOrDefault();
    Instant created = Timestamps.parse(pod.getMetadata().getCreationTimestamp());
    Instant giveUpAt = (created == null ? now : created).plusSeconds(bound);
    if (PodStates.hopeless(pod) || !now.isBefore(giveUpAt)) {
      return new PodStep(null, true, PodStates.didNotStart(pod, bound, now), null);
    }
    return new PodStep(null, false, PodStates.pending(pod), Duration.between(now, giveUpAt));
  }

  /** The pod's name is still held by the pod of a deleted execution of the same name. */
  static TaskExecutionStatus nameTaken(Pod pod) {
    return TaskExecutionStatus.of(
        ExecutionPhase.Pending,
        NAME_TAKEN,
        "pod "
            + pod.getMetadata().getName()
            + " of an earlier execution with this name is still there; waiting for it to go");
  }

  /** The attempt's pod was refused by the API server (validation, Pod Security, quota). */
  static TaskExecutionStatus rejected(String message, Instant now) {
    return TaskExecutionStatus.of(ExecutionPhase.Failed, "PodRejected", message).completedAt(now);
  }

  private static TaskExecutionStatus stopped(
      TaskExecution execution, ExecutionPhase phase, String reason, String message, Instant now) {
    return TaskExecutionStatus.ended(execution.getStatus(), phase, reason, message, now);
  }
}
