package dev.drover.operator.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every {@code period} from {@code anchor}: due times are anchor + k × period, so they never drift.
 */
final class IntervalTrigger implements Trigger {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private final String text;
  private final Instant anchor;
  private final long periodMillis;

  private IntervalTrigger(String text, Instant anchor, Duration period) {
    this.text = text;
    this.anchor = anchor;
    this.periodMillis = period.toMillis();
  }

  static IntervalTrigger parse(String text, Instant anchor) {
    Duration period = parseDuration(text);
    if (period.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("interval must be at least 1s, got " + text);
    }
    return new IntervalTrigger(text, anchor, period);
  }

  static Duration parseDuration(String text) {
    Matcher m = PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
              });
      end = m.end();
    }
    if (end == 0 || end != text.length()) {
      throw new IllegalArgumentException(
          "interval must look like 90s, 15m, 6h or 1h30m, got '" + text + "'");
    }
    return total;
  }

  @Override
  public Optional<Instant> next(Instant instant) {
    if (instant.isBefore(anchor)) {
      return Optional.of(anchor);
    }
    long periods = Math.floorDiv(instant.toEpochMilli() - anchor.toEpochMilli(), periodMillis) + 1;
    return Optional.of(anchor.plusMillis(periods * periodMillis));
  }

  @Override
  public Optional<Instant> latestAtOrBefore(Instant instant) {
    if (instant.isBefore(anchor)) {
      return Optional.empty();
    }
    long periods = Math.floorDiv(instant.toEpochMilli() - anchor.toEpochMilli(), periodMillis);
    return Optional.of(anchor.plusMillis(periods * periodMillis));
  }

  @Override
  public String describe() {
    return "every " + text;
  }
}
