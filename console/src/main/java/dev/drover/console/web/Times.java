package dev.drover.console.web;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Times as the pages print them: ages and durations the way kubectl does (5s, 3m, 2h, 4d). */
public final class Times {
  private Times() {}

  public static Instant parse(String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** How long ago, or "" when unknown. */
  public static String age(String timestamp, Instant now) {
    Instant then = parse(timestamp);
    return then == null ? "" : span(Duration.between(then, now));
  }

  /** From start to end, or to now while it goes on; "" before it started. */
  public static String duration(String start, String end, Instant now) {
    Instant from = parse(start);
    if (from == null) {
      return "";
    }
    Instant to = parse(end);
    return span(Duration.between(from, to == null ? now : to));
  }

  public static String span(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    if (seconds < 120) {
      return seconds + "s";
    }
    if (seconds < 2 * 3600) {
      return seconds / 60 + "m" + (seconds % 60 == 0 ? "" : seconds % 60 + "s");
    }
    if (seconds < 2 * 86400) {
      return seconds / 3600 + "h" + (seconds % 3600 / 60 == 0 ? "" : seconds % 3600 / 60 + "m");
    }
    return seconds / 86400 + "d";
  }
}
