package dev.drover.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Kubernetes keeps times as RFC 3339 strings; these helpers convert at whole-second precision. */
public final class Timestamps {
  private Timestamps() {}

  public static String format(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  public static Instant parse(String text) {
    return text == null || text.isBlank() ? null : Instant.parse(text);
  }
}
