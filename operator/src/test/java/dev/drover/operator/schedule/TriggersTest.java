package dev.drover.operator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TriggersTest {
  @Nested
  class Interval {
    private final Instant anchor = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void dueTimesAreAnchoredSoTheyNeverDrift() {
      IntervalTrigger every90s = IntervalTrigger.parse("90s", anchor);

      assertThat(every90s.next(anchor.minusSeconds(5))).hasValue(anchor);
      assertThat(every90s.next(anchor)).hasValue(anchor.plusSeconds(90));
      assertThat(every90s.next(anchor.plusSeconds(91))).hasValue(anchor.plusSeconds(180));
      assertThat(every90s.next(Instant.parse("2026-12-31T00:00:01Z")))
          .hasValue(Instant.parse("2026-12-31T00:01:30Z"));
      assertThat(every90s.latestAtOrBefore(anchor.plusSeconds(179)))
          .hasValue(anchor.plusSeconds(90));
    }

    @Test
    void compoundDurations() {
      assertThat(IntervalTrigger.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
      assertThat(IntervalTrigger.parseDuration("6h")).isEqualTo(Duration.ofHours(6));
      assertThatThrownBy(() -> IntervalTrigger.parseDuration("15 minutes"))
          .hasMessage("interval must look like 90s, 15m, 6h or 1h30m, got '15 minutes'");
      assertThatThrownBy(() -> IntervalTrigger.parse("500ms", anchor))
          .hasMessage("interval must be at least 1s, got 500ms");
    }
  }

  @Test
  void aOneShotIsDueOnce() {
    OneShotTrigger once = new OneShotTrigger(Instant.parse("2026-12-06T03:00:00Z"));

    assertThat(once.next(Instant.parse("2026-12-01T00:00:00Z")))
        .hasValue(Instant.parse("2026-12-06T03:00:00Z"));
    assertThat(once.next(Instant.parse("2026-12-06T03:00:00Z"))).isEmpty();
  }

  @Test
  void jitterIsStablePerObjectAndWithinItsBound() {
    Duration offset = Jitter.offset("ops", "nightly-backup", 120);

    assertThat(Jitter.offset("ops", "nightly-backup", 120)).isEqualTo(offset);
    assertThat(offset).isBetween(Duration.ZERO, Duration.ofSeconds(120));
    assertThat(Jitter.offset("ops", "nightly-backup", null)).isZero();
    long distinct =
        java.util.stream.IntStream.range(0, 200)
            .mapToObj(i -> Jitter.offset("ops", "task-" + i, 120))
            .distinct()
            .count();
    assertThat(distinct).isGreaterThan(150);
  }

  @Test
  void jitterIsTheSha256OfNamespaceAndNameSoOffsetsOutliveUpgrades() {
    assertThat(Jitter.offset("ops", "nightly-backup", 120)).isEqualTo(Duration.ofMillis(31350));
    assertThat(Jitter.offset("ops", "backup", 30)).isEqualTo(Duration.ofMillis(11265));
  }
}
