package dev.drover.operator.metrics;

import dev.drover.api.execution.TaskExecutionStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Pods the pod executor created, and the attempts it ended, by phase and reason (OOMKilled,
 * Unschedulable, ...).
 */
public final class PodMetrics {
  private final MeterRegistry registry;
  private final Counter created;

  public PodMetrics(MeterRegistry registry) {
    this.registry = registry;
    created =
        Counter.builder("drover.pod.creations")
            .description("Pods created for pod attempts")
            .register(registry);
  }

  public void created() {
    created.increment();
  }

  /** Counts an attempt whose status just went from unfinished to {@code finished}. */
  public void finished(TaskExecutionStatus finished) {
    Counter.builder("drover.pod.attempts.finished")
        .description("Pod attempts that ended, by phase and reason")
        .tag("phase", finished.phase().name())
        .tag("reason", finished.reason() == null ? "" : finished.reason())
        .register(registry)
        .increment();
  }
}
