package dev.drover.operator.flow;

import dev.drover.api.DroverLabels;
import dev.drover.api.Timestamps;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.flow.TaskFlowStatus;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.operator.support.ObjectEvent;
import java.time.Instant;
import java.util.List;

/**
 * The try of the flow this pass works on: the first, or a retry asked for by a new drover.dev/retry
 * value on a failed flow. Null when the flow has finished and nothing asks for more.
 */
record FlowTry(int retries, String token, Instant start, List<ObjectEvent> events) {
  static FlowTry of(TaskFlow flow, Instant now) {
    TaskFlowStatus previous = flow.getStatus();
    if (previous == null || previous.phase() == null) {
      return new FlowTry(0, null, now, List.of());
    }
    int retries = previous.retries() == null ? 0 : previous.retries();
    Instant start = previous.startTime() == null ? now : Timestamps.parse(previous.startTime());
    if (!previous.phase().isFinished()) {
      return new FlowTry(retries, previous.retryToken(), start, List.of());
    }
    String asked =
        flow.getMetadata().getAnnotations() == null
            ? null
            : flow.getMetadata().getAnnotations().get(DroverLabels.RETRY);
    if (previous.phase() != RunPhase.Failed
        || asked == null
        || asked.equals(previous.retryToken())
        || "InvalidSpec".equals(previous.reason())) {
      return null;
    }
    return new FlowTry(
        retries + 1,
        asked,
        now,
        List.of(
            ObjectEvent.normal(
                "retry/" + (retries + 1),
                "Retrying",
                "retry " + (retries + 1) + ": running the failed and skipped tasks again")));
  }
}
