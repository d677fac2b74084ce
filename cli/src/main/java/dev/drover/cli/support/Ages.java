package dev.drover.cli.support;

import dev.drover.api.Timestamps;
import java.time.Duration;
import java.time.Instant;

/** Times as kubectl shows them: how long ago, in the largest two units that matter. */
public final class Ages {
  private Ages() {}

  /** "5s", "3m20s", "2h5m", "4d3h"; "<none>" for no time. */
  public static String since(String timestamp, Instant now) {
    Instant then = Timestamps.parse(timestamp);
    return then == null ? "<none>" : of(Duration.between(then, now));
  }

  /** How long until a future time, "in 5m"; a past one reads as an age. */
  public static String until(String timestamp, Instant now) {
    Instant then = Timestamps.parse(timestamp);
    if (then == null) {
      return "<none>";
    }
    return then.isAfter(now)
        ? "in " + of(Duration.between(now, then))
        : of(Duration.between(then, now)) + " ago";
  }

  public static String of(Duration duration) {
    long s = Math.max(0, duration.toSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
    }
    if (s < 86400) {
      return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
    }
    return s / 86400 + "d" + (s % 86400 / 3600 == 0 ? "" : s % 86400 / 3600 + "h");
  }
}
