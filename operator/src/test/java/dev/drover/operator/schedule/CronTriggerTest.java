package dev.drover.operator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronTriggerTest {
  /** Friday noon, UTC: where the crontab specifications count their due times from. */
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final DateTimeFormatter DAY_AND_TIME =
      DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  @Nested
  class Fields {
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
  class Crontab {
    @ParameterizedTest(name = "{0}")
    @CsvSource(
        delimiter = '|',
        textBlock =
            """
            5 0 * * *       | Sat 5 Dec 00:05, Sun 6 Dec 00:05, Mon 7 Dec 00:05
            15 14 1 * *     | Fri 1 Jan 14:15, Mon 1 Feb 14:15, Mon 1 Mar 14:15
            0 22 * * 1-5    | Fri 4 Dec 22:00, Mon 7 Dec 22:00, Tue 8 Dec 22:00
            23 0-23/2 * * * | Fri 4 Dec 12:23, Fri 4 Dec 14:23, Fri 4 Dec 16:23
            5 4 * * sun     | Sun 6 Dec 04:05, Sun 13 Dec 04:05, Sun 20 Dec 04:05
            0 4 8-14 * *    | Tue 8 Dec 04:00, Wed 9 Dec 04:00, Thu 10 Dec 04:00
            0 4 8-14 * sat  | Sat 5 Dec 04:00, Tue 8 Dec 04:00, Wed 9 Dec 04:00
            30 4 1,15 * 5   | Fri 11 Dec 04:30, Tue 15 Dec 04:30, Fri 18 Dec 04:30
            """)
    void theExamplesOfTheCrontabManual(String expression, String firstThree) {
      assertThat(firstDueTimes(expression, 3)).containsExactly(firstThree.split(", "));
    }

    @Test
    void whenBothDayFieldsAreRestrictedADayIsDueIfEitherMatches() {
      // December 2026 starts on a Tuesday: its Saturdays are the 5th, 12th, 19th and 26th.
      assertThat(dueDaysOfDecember2026("0 4 8-14 * *")).containsExactly(8, 9, 10, 11, 12, 13, 14);
      assertThat(dueDaysOfDecember2026("0 4 8-14 * sat"))
          .containsExactly(5, 8, 9, 10, 11, 12, 13, 14, 19, 26);
      assertThat(dueDaysOfDecember2026("30 4 1,15 * 5")).containsExactly(1, 4, 11, 15, 18, 25);
      assertThat(dueDaysOfDecember2026("0 0 1,15 * MON")).containsExactly(1, 7, 14, 15, 21, 28);
    }

    @Test
    void aDayFieldStartingWithAStarIsUnrestrictedSoBothMustMatch() {
      assertThat(firstDueTimes("0 0 */10 * MON", 3))
          .containsExactly("Mon 21 Dec 00:00", "Mon 11 Jan 00:00", "Mon 1 Feb 00:00");
      // Spring's "no value" is unrestricted too.
      assertThat(firstDueTimes("0 0 0 ? * MON", 2))
          .containsExactly("Mon 7 Dec 00:00", "Mon 14 Dec 00:00");
    }

    @Test
    void theLatestDueTimeFollowsTheEitherRuleToo() {
      CronTrigger firstFifteenthAndFridays = CronTrigger.parse("30 4 1,15 * 5", ZoneOffset.UTC);

      assertThat(firstFifteenthAndFridays.latestAtOrBefore(Instant.parse("2026-12-03T00:00:00Z")))
          .hasValue(Instant.parse("2026-12-01T04:30:00Z"));
      assertThat(firstFifteenthAndFridays.latestAtOrBefore(NOW))
          .hasValue(Instant.parse("2026-12-04T04:30:00Z"));
      assertThat(firstFifteenthAndFridays.latestAtOrBefore(Instant.parse("2026-12-15T04:30:00Z")))
          .hasValue(Instant.parse("2026-12-15T04:30:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "7", "sun", "SUN", "Sun"})
    void sundayIsZeroSevenOrItsNameInAnyCase(String sunday) {
      assertThat(firstDueTimes("0 0 * * " + sunday, 2))
          .containsExactly("Sun 6 Dec 00:00", "Sun 13 Dec 00:00");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "jan", "JAN", "Jan"})
    void monthsAreNumbersOrNamesInAnyCase(String january) {
      assertThat(firstDueTimes("0 0 1 " + january + " *", 1)).containsExactly("Fri 1 Jan 00:00");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "5 0 * * *",
          "0 22 * * 1-5",
          "23 0-23/2 * * *",
          "0 4 8-14 * sat",
          "30 4 1,15 * 5",
          "0 0 */10 * MON",
          "0 0 L * *",
          "0 3 * * MON#2"
        })
    void sixFieldsWithZeroSecondsAreDueWhenTheFiveFieldsAre(String fiveFields) {
      CronTrigger five = CronTrigger.parse(fiveFields, ZoneOffset.UTC);
      CronTrigger six = CronTrigger.parse("0 " + fiveFields, ZoneOffset.UTC);

      assertThat(dueTimes(six, NOW, 20)).isEqualTo(dueTimes(five, NOW, 20));
      assertThat(six.latestAtOrBefore(NOW)).isEqualTo(five.latestAtOrBefore(NOW));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
      "@yearly, 0 0 1 1 *",
      "@annually, 0 0 1 1 *",
      "@monthly, 0 0 1 * *",
      "@weekly, 0 0 * * 0",
      "@daily, 0 0 * * *",
      "@midnight, 0 0 * * *",
      "@hourly, 0 * * * *"
    })
    void macrosAreDueWhenTheirCrontabExpansionIs(String macro, String expansion) {
      assertThat(firstDueTimes(macro, 5)).isEqualTo(firstDueTimes(expansion, 5));
    }

    @Test
    void rebootIsRejectedBecauseThereIsNoBootToFollow() {
      assertThatThrownBy(() -> CronTrigger.parse("@reboot", ZoneOffset.UTC))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "@reboot is not supported: Drover has no host boot to follow; "
                  + "use `at` for a single run");
    }
  }

  @Nested
  class DaylightSaving {
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
    void wildcardHoursFireInEveryHourTheClockShows() {
      CronTrigger hourly = CronTrigger.parse("0 * * * *", BERLIN);

      // 2027-03-28: 01:00 CET (00:00 UTC) is followed by 03:00 CEST (01:00 UTC).
      assertThat(dueTimes(hourly, Instant.parse("2027-03-27T23:30:00Z"), 3))
          .containsExactly(
              Instant.parse("2027-03-28T00:00:00Z"),
              Instant.parse("2027-03-28T01:00:00Z"),
              Instant.parse("2027-03-28T02:00:00Z"));
      // 2027-10-31: 02:00 comes twice, in CEST (00:00 UTC) and in CET (01:00 UTC).
      assertThat(dueTimes(hourly, Instant.parse("2027-10-30T23:30:00Z"), 3))
          .containsExactly(
              Instant.parse("2027-10-31T00:00:00Z"),
              Instant.parse("2027-10-31T01:00:00Z"),
              Instant.parse("2027-10-31T02:00:00Z"));
    }
  }

  /** The first due times after {@link #NOW} in UTC, as "Fri 4 Dec 22:00". */
  private static List<String> firstDueTimes(String expression, int count) {
    return dueTimes(CronTrigger.parse(expression, ZoneOffset.UTC), NOW, count).stream()
        .map(DAY_AND_TIME::format)
        .toList();
  }

  private static List<Integer> dueDaysOfDecember2026(String expression) {
    CronTrigger trigger = CronTrigger.parse(expression, ZoneOffset.UTC);
    return Stream.iterate(
            trigger.next(Instant.parse("2026-11-30T23:59:59Z")).orElseThrow(),
            due -> due.isBefore(Instant.parse("2027-01-01T00:00:00Z")),
            due -> trigger.next(due).orElseThrow())
        .map(due -> due.atZone(ZoneOffset.UTC).getDayOfMonth())
        .toList();
  }

  private static List<Instant> dueTimes(CronTrigger trigger, Instant from, int count) {
    List<Instant> due = new ArrayList<>();
    for (Instant at = from; due.size() < count; ) {
      at = trigger.next(at).orElseThrow();
      due.add(at);
    }
    return due;
  }
}
