package dev.drover.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** How punctually ScheduledTasks fire, and the due times that passed without a run. */
public final class ScheduleMetrics {
  private final MeterRegistry registry;
  private final Timer lateness;

  public ScheduleMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.lateness =
        Timer.builder("drover.schedule.lateness")
            .description("Time from a run's due instant to its creation, jitter included")
            .publishPercentiles(0.5, 0.99)
            .publishPercentileHistogram()
            .maximumExpectedValue(Duration.ofMinutes(10))
            .register(registry);
  }

  public void created(Duration late) {
    lateness.record(late);
  }

  /**
   * Counts the due times a status write added to a ScheduledTask's {@code status.missed}; the
   * status is the ledger, so a pass that wrote no new missed times counts none.
   */
  public void missed(String namespace, long missedBefore, long missedAfter) {
    if (missedAfter > missedBefore) {
      Counter.builder("drover.schedule.missed")
          .description("Due times of ScheduledTasks that passed without a run")
          .tag("namespace", namespace)
          .register(registry)
          .increment(missedAfter - missedBefore);
    }
  }
}
