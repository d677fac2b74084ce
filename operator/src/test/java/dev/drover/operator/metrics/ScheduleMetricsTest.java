package dev.drover.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ScheduleMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ScheduleMetrics metrics = new ScheduleMetrics(registry);

  @Test
  void missedRunsCountWhatEachStatusWriteAddedByNamespace() {
    metrics.missed("ops", 0, 3);
    metrics.missed("ops", 3, 5);
    metrics.missed("batch", 7, 8);

    assertThat(missed("ops")).isEqualTo(5);
    assertThat(missed("batch")).isEqualTo(1);
  }

  @Test
  void aPassThatAddedNoMissedTimesCountsNone() {
    metrics.missed("ops", 4, 4);
    metrics.missed("ops", 4, 0); // a status replaced by hand

    assertThat(registry.find("drover.schedule.missed").counter()).isNull();
  }

  private double missed(String namespace) {
    Counter counter = registry.get("drover.schedule.missed").tag("namespace", namespace).counter();
    return counter.count();
  }
}
