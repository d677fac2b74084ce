package dev.drover.operator.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Cron in a time zone. Five fields (minute first) or six (second first); both are read in the
 * Spring dialect of cron-utils, which has L, W and #. A due time that falls into a daylight-saving
 * gap fires at the first instant after the gap; one that falls into an overlap fires once.
 */
final class CronTrigger implements Trigger {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));
  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 0 1 1 *",
          "@annually", "0 0 0 1 1 *",
          "@monthly", "0 0 0 1 * *",
          "@weekly", "0 0 0 * * SUN",
          "@daily", "0 0 0 * * *",
          "@midnight", "0 0 0 * * *",
          "@hourly", "0 0 * * * *");

  private final String expression;
  private final ExecutionTime executionTime;
  private final ZoneId zone;

  private CronTrigger(String expression, ExecutionTime executionTime, ZoneId zone) {
    this.expression = expression;
    this.executionTime = executionTime;
    this.zone = zone;
  }

  /**
   * @throws IllegalArgumentException with a readable reason when the expression is invalid
   */
  static CronTrigger parse(String expression, ZoneId zone) {
    String trimmed = expression.trim();
    String sixFields = MACROS.get(trimmed.toLowerCase(Locale.ROOT));
    if (sixFields == null) {
      if (trimmed.startsWith("@")) {
        throw new IllegalArgumentException(
            "unknown macro " + trimmed + "; known: " + MACROS.keySet());
      }
      int fields = trimmed.split("\\s+").length;
      if (fields != 5 && fields != 6) {
        throw new IllegalArgumentException(
            "cron needs 5 fields (minute first) or 6 (second first), got " + fields);
      }
      sixFields = fields == 5 ? "0 " + trimmed : trimmed;
    }
    Cron cron;
    try {
      cron = PARSER.parse(sixFields).validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid cron expression '" + trimmed + "': " + e.getMessage(), e);
    }
    return new CronTrigger(trimmed, ExecutionTime.forCron(cron), zone);
  }

  @Override
  public Optional<Instant> next(Instant instant) {
    Optional<Instant> next =
        executionTime.nextExecution(instant.atZone(zone)).map(ZonedDateTime::toInstant);
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
        executionTime
            .nextExecution(from)
            .map(ZonedDateTime::toLocalDateTime)
            .filter(local -> local.isBefore(transition.getDateTimeAfter()))
            .isPresent();
    return dueInGap ? Optional.of(transition.getInstant()) : next;
  }

  @Override
  public Optional<Instant> latestAtOrBefore(Instant instant) {
    return executionTime
        .lastExecution(instant.plusMillis(1).atZone(zone))
        .map(ZonedDateTime::toInstant);
  }

  @Override
  public String describe() {
    return expression;
  }
}
