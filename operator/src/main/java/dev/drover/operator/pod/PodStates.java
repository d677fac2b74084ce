package dev.drover.operator.pod;

import dev.drover.api.Timestamps;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecutionStatus;
import dev.drover.operator.support.Texts;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a task pod's state as the kubelet and scheduler report it, in the terms of an execution.
 */
final class PodStates {
  /** Kept of a failed pod's termination message, as an agent keeps a bounded output tail. */
  static final int MAX_MESSAGE = 4096;

  /** Waiting reasons that no amount of waiting cures. */
  private static final Set<String> HOPELESS = Set.of("InvalidImageName", "ErrImageNeverPull");

  private PodStates() {}

  static boolean isTerminal(Pod pod) {
    String phase = phase(pod);
    return phase.equals("Succeeded") || phase.equals("Failed");
  }

  static String phase(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null
        ? "Pending"
        : pod.getStatus().getPhase();
  }

  static String node(Pod pod) {
    return pod.getSpec() == null ? null : pod.getSpec().getNodeName();
  }

  /**
   * The outcome of a pod that has finished. The container's termination message is what the command
   * wrote to DROVER_RESULT, or, when it failed without writing any, the tail of its log (policy
   * FallbackToLogsOnError): a succeeded pod's message is its result, a failed pod's its message, as
   * an agent reports an output tail. The kubelet keeps at most 4096 bytes of it, so a pod's result
   * is capped at 4 KiB (an agent's at 16 KiB).
   */
  static TaskExecutionStatus finished(Pod pod, Instant now) {
    Optional<ContainerStateTerminated> terminated =
        containerState(pod).map(ContainerState::getTerminated);
    String podReason = pod.getStatus().getReason();
    ExecutionPhase phase;
    String reason;
    if ("DeadlineExceeded".equals(podReason)) {
      phase = ExecutionPhase.TimedOut;
      reason = podReason;
    } else if ("Evicted".equals(podReason)) {
      phase = ExecutionPhase.Lost;
      reason = podReason;
    } else {
      phase = phase(pod).equals("Succeeded") ? ExecutionPhase.Succeeded : ExecutionPhase.Failed;
      reason =
          terminated
              .map(ContainerStateTerminated::getReason)
              .orElse(podReason == null ? "PodFailed" : podReason);
    }
    String terminationMessage =
        terminated.map(ContainerStateTerminated::getMessage).filter(m -> !m.isBlank()).orElse(null);
    boolean succeeded = phase == ExecutionPhase.Succeeded;
    String message =
        succeeded || terminationMessage == null
            ? pod.getStatus().getMessage()
            : Texts.tail(terminationMessage, MAX_MESSAGE);
    return TaskExecutionStatus.of(phase, reason, message)
        .startedAt(
            terminated
                .map(ContainerStateTerminated::getStartedAt)
                .orElse(pod.getStatus().getStartTime()))
        .completedAt(
            terminated.map(ContainerStateTerminated::getFinishedAt).orElse(Timestamps.format(now)))
        .withExitCode(terminated.map(ContainerStateTerminated::getExitCode).orElse(null))
        .onNode(node(pod))
        .withResult(succeeded ? TaskExecutionStatus.resultOf(terminationMessage) : null);
  }

  static TaskExecutionStatus running(Pod pod) {
    String started =
        containerState(pod)
            .map(ContainerState::getRunning)
            .map(r -> r.getStartedAt())
            .orElse(pod.getStatus().getStartTime());
    return TaskExecutionStatus.of(ExecutionPhase.Running, "Started", null)
        .startedAt(started)
        .onNode(node(pod));
  }

  /** A pod not running yet: why, in the words of the kubelet (waiting reason) or the scheduler. */
  static TaskExecutionStatus pending(Pod pod) {
    Optional<ContainerStateWaiting> waiting = waiting(pod);
    if (waiting.isPresent()) {
      return pendingStatus(pod, waiting.get().getReason(), waiting.get().getMessage());
    }
    Optional<PodCondition> unschedulable = unschedulable(pod);
    if (unschedulable.isPresent()) {
      return pendingStatus(pod, "Unschedulable", unschedulable.get().getMessage());
    }
    return pendingStatus(
        pod, node(pod) == null ? "PodCreated" : "Scheduled", "pod " + pod.getMetadata().getName());
  }

  /**
   * Whether the pod can never start whatever happens, such as an image name that cannot be parsed.
   */
  static boolean hopeless(Pod pod) {
    return waiting(pod).map(w -> HOPELESS.contains(w.getReason())).orElse(false);
  }

  /** The failure of a pod that did not start in time (or never can), with the reason it gave. */
  static TaskExecutionStatus didNotStart(Pod pod, long startTimeoutSeconds, Instant now) {
    TaskExecutionStatus pending = pending(pod);
    String reason = pending.reason().equals("PodCreated") ? "Unschedulable" : pending.reason();
    String why = pending.reason().equals("PodCreated") ? "not scheduled" : pending.message();
    String message =
        hopeless(pod)
            ? why
            : "pod did not start within "
                + startTimeoutSeconds
                + "s: "
                + (why == null ? reason : why);
    return TaskExecutionStatus.of(ExecutionPhase.Failed, reason, message)
        .completedAt(now)
        .onNode(node(pod));
  }

  private static TaskExecutionStatus pendingStatus(Pod pod, String reason, String message) {
    return TaskExecutionStatus.of(ExecutionPhase.Pending, reason, message).onNode(node(pod));
  }

  private static Optional<ContainerStateWaiting> waiting(Pod pod) {
    return containerState(pod)
        .map(ContainerState::getWaiting)
        .filter(w -> w.getReason() != null && !w.getReason().equals("ContainerCreating"));
  }

  private static Optional<PodCondition> unschedulable(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
        .findFirst();
  }

  private static Optional<ContainerState> containerState(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(c -> PodRenderer.CONTAINER.equals(c.getName()))
        .map(ContainerStatus::getState)
        .filter(s -> s != null)
        .findFirst();
  }
}
