package dev.drover.operator.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.chrono.ChronoZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Cron in a time zone, read as crontab(5) reads it. Five fields (minute first) or six (second
 * first); the fields are parsed by cron-utils' Spring dialect, which adds L, W and #. When both day
 * of month and day of week are restricted, a day is due when either matches. A due time that falls
 * into a daylight-saving gap fires at the first instant after the gap; one that falls into an
 * overlap fires once.
 */
final class CronTrigger implements Trigger {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));
  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");
  // Positions among the six fields.
  private static final int DAY_OF_MONTH = 3;
  private static final int DAY_OF_WEEK = 5;

  private final String expression;
  private final List<ExecutionTime> schedules;
  private final ZoneId zone;

  /**
   * @param schedules due whenever any of them is
   */
  private CronTrigger(String expression, List<ExecutionTime> schedules, ZoneId zone) {
    this.expression = expression;
    this.schedules = schedules;
    this.zone = zone;
  }

  /**
   * @throws IllegalArgumentException with a readable reason when the expression is invalid
   */
  static CronTrigger parse(String expression, ZoneId zone) {
    String trimmed = expression.trim();
    String[] fields = sixFields(trimmed);
    // cron-utils requires both day fields to match; crontab(5) fires when either does, which is
    // the union of one schedule per day field.
    List<String[]> alternatives =
        isRestricted(fields[DAY_OF_MONTH]) && isRestricted(fields[DAY_OF_WEEK])
            ? List.of(anyDay(fields, DAY_OF_WEEK), anyDay(fields, DAY_OF_MONTH))
            : List.<String[]>of(fields);
    return new CronTrigger(
        trimmed, alternatives.stream().map(f -> executionTime(trimmed, f)).toList(), zone);
  }

  private static String[] sixFields(String expression) {
    String name = expression.toLowerCase(Locale.ROOT);
    if (name.equals("@reboot")) {
      throw new IllegalArgumentException(
          "@reboot is not supported: Drover has no host boot to follow; use `at` for a single run");
    }
    if (name.startsWith("@") && !MACROS.containsKey(name)) {
      throw new IllegalArgumentException(
          "unknown macro " + expression + "; known: " + MACROS.keySet());
    }
    String[] fields = MACROS.getOrDefault(name, expression).split("\\s+");
    return switch (fields.length) {
      case 5 -> Stream.concat(Stream.of("0"), Arrays.stream(fields)).toArray(String[]::new);
      case 6 -> fields;
      default ->
          throw new IllegalArgumentException(
              "cron needs 5 fields (minute first) or 6 (second first), got " + fields.length);
    };
  }

  // As in crontab(5), a day field that starts with * is unrestricted, */2 included; ? is Spring's
  // "no value".
  private static boolean isRestricted(String dayField) {
    return !dayField.startsWith("*") && !dayField.equals("?");
  }

  private static String[] anyDay(String[] fields, int dayField) {
    String[] copy = fields.clone();
    copy[dayField] = "*";
    return copy;
  }

  private static ExecutionTime executionTime(String expression, String[] sixFields) {
    try {
      return ExecutionTime.forCron(PARSER.parse(String.join(" ", sixFields)).validate());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid cron expression '" + expression + "': " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<Instant> next(Instant instant) {
    Optional<Instant> next = nextExecution(instant.atZone(zone)).map(ZonedDateTime::toInstant);
    ZoneOffsetTransition transition = zone.getRules().nextTransition(instant);
    if (next.isEmpty()
        || transition == null
        || !transition.isGap()
        || transition.getInstant().isAfter(next.get())) {
      return next;
    }
    // The local times of a spring-forward gap do not exist, so cron-utils skips them; a task due
    // in the gap fires once, when the gap ends, as it would have on the wall clock.
    ZonedDateTime justBeforeGap =
        transition.getInstant().minusMillis(1).atZone(transition.getOffsetBefore());
    ZonedDateTime from =
        instant.isAfter(justBeforeGap.toInstant())
            ? instant.atZone(transition.getOffsetBefore())
            : justBeforeGap;
    boolean dueInGap =
        nextExecution(from)
            .map(ZonedDateTime::toLocalDateTime)
            .filter(local -> local.isBefore(transition.getDateTimeAfter()))
            .isPresent();
    return dueInGap ? Optional.of(transition.getInstant()) : next;
  }

  @Override
  public Optional<Instant> latestAtOrBefore(Instant instant) {
    ZonedDateTime justAfter = instant.plusMillis(1).atZone(zone);
    return schedules.stream()
        .flatMap(schedule -> schedule.lastExecution(justAfter).stream())
        .max(ChronoZonedDateTime.timeLineOrder())
        .map(ZonedDateTime::toInstant);
  }

  private Optional<ZonedDateTime> nextExecution(ZonedDateTime after) {
    return schedules.stream()
        .flatMap(schedule -> schedule.nextExecution(after).stream())
        .min(ChronoZonedDateTime.timeLineOrder());
  }

  @Override
  public String describe() {
    return expression;
  }
}
