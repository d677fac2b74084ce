package dev.drover.operator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TriggersTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  @Nested
  class Cron {
    @Test
    void fiveFieldsStartAtTheMinuteAndReadInTheirTimeZone() {
      CronTrigger nightly = CronTrigger.parse("30 2 * * *", SHANGHAI);

      assertThat(nightly.next(Instant.parse("2026-12-01T00:00:00Z")))
          .hasValue(Instant.parse("2026-12-01T18:30:00Z"));
    }

    @Test
    void sixFieldsStartAtTheSecond() {
      CronTrigger everyFive = CronTrigger.parse("*/5 * * * * *", ZoneOffset.UTC);

      assertThat(everyFive.next(Instant.parse("2026-12-01T00:00:03Z")))
          .hasValue(Instant.parse("2026-12-01T00:00:05Z"));
      assertThat(everyFive.next(Instant.parse("2026-12-01T00:00:05Z")))
          .hasValue(Instant.parse("2026-12-01T00:00:10Z"));
      assertThat(everyFive.latestAtOrBefore(Instant.parse("2026-12-01T00:00:10Z")))
          .hasValue(Instant.parse("2026-12-01T00:00:10Z"));
    }

    @Test
    void macrosRangesStepsAndLists() {
      assertThat(
              CronTrigger.parse("@hourly", ZoneOffset.UTC)
                  .next(Instant.parse("2026-12-01T10:15:00Z")))
          .hasValue(Instant.parse("2026-12-01T11:00:00Z"));
      assertThat(
              CronTrigger.parse("@daily", ZoneOffset.UTC)
                  .next(Instant.parse("2026-12-01T10:15:00Z")))
          .hasValue(Instant.parse("2026-12-02T00:00:00Z"));
      assertThat(
              CronTrigger.parse("@weekly", ZoneOffset.UTC)
                  .next(Instant.parse("2026-12-01T10:15:00Z")))
          .hasValue(Instant.parse("2026-12-06T00:00:00Z"));
      assertThat(
              CronTrigger.parse("@monthly", ZoneOffset.UTC)
                  .next(Instant.parse("2026-12-01T10:15:00Z")))
          .hasValue(Instant.parse("2027-01-01T00:00:00Z"));
      assertThat(
              CronTrigger.parse("@yearly", ZoneOffset.UTC)
                  .next(Instant.parse("2026-12-01T10:15:00Z")))
          .hasValue(Instant.parse("2027-01-01T00:00:00Z"));
      assertThat(
              CronTrigger.parse("0 9-17/4 * * 1,3,5", ZoneOffset.UTC)
                  .next(Instant.parse("2026-12-01T10:15:00Z")))
          .hasValue(Instant.parse("2026-12-02T09:00:00Z"));
    }

    @Test
    void lastDayLastWeekdayAndNthWeekday() {
      assertThat(
              CronTrigger.parse("0 0 L * *", ZoneOffset.UTC)
                  .next(Instant.parse("2027-02-01T00:00:00Z")))
          .hasValue(Instant.parse("2027-02-28T00:00:00Z"));
      assertThat(
              CronTrigger.parse("0 0 LW * *", ZoneOffset.UTC)
                  .next(Instant.parse("2027-01-01T00:00:00Z")))
          .hasValue(Instant.parse("2027-01-29T00:00:00Z"));
      assertThat(
              CronTrigger.parse("0 3 * * MON#2", ZoneOffset.UTC)
                  .next(Instant.parse("2026-12-01T00:00:00Z")))
          .hasValue(Instant.parse("2026-12-14T03:00:00Z"));
    }

    @Test
    void aTimeInTheSpringForwardGapFiresOnceAtTheEndOfTheGap() {
      CronTrigger half = CronTrigger.parse("30 2 * * *", BERLIN);
      // 2027-03-28: clocks go from 02:00 to 03:00 local (01:00 UTC), so 02:30 does not exist.
      Instant before = Instant.parse("2027-03-27T12:00:00Z");

      Instant first = half.next(before).orElseThrow();
      Instant second = half.next(first).orElseThrow();

      assertThat(first).isEqualTo(Instant.parse("2027-03-28T01:00:00Z"));
      assertThat(second).isEqualTo(Instant.parse("2027-03-29T00:30:00Z"));
    }

    @Test
    void aTimeInTheFallBackOverlapFiresOnce() {
      CronTrigger half = CronTrigger.parse("30 2 * * *", BERLIN);
      // 2027-10-31: 02:00-03:00 local happens twice (00:00-01:00 and 01:00-02:00 UTC).
      Instant first = half.next(Instant.parse("2027-10-30T12:00:00Z")).orElseThrow();
      Instant second = half.next(first).orElseThrow();

      assertThat(first).isEqualTo(Instant.parse("2027-10-31T00:30:00Z"));
      assertThat(second).isEqualTo(Instant.parse("2027-11-01T01:30:00Z"));
    }

    @Test
    void invalidExpressionsAreExplained() {
      assertThatThrownBy(() -> CronTrigger.parse("61 * * * *", ZoneOffset.UTC))
          .hasMessageStartingWith("invalid cron expression '61 * * * *'");
      assertThatThrownBy(() -> CronTrigger.parse("* * *", ZoneOffset.UTC))
          .hasMessage("cron needs 5 fields (minute first) or 6 (second first), got 3");
      assertThatThrownBy(() -> CronTrigger.parse("@sometimes", ZoneOffset.UTC))
          .hasMessageStartingWith("unknown macro @sometimes");
    }
  }

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
