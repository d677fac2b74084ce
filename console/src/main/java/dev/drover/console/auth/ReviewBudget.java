package dev.drover.console.auth;

import java.time.Clock;
import java.time.Instant;

/**
 * How many tokens the console may ask the API server about each second that it has not seen lately:
 * a flood of made-up tokens then costs the API server a bounded number of TokenReviews, and the
 * callers over the budget hear 503 (try again) instead.
 */
final class ReviewBudget {
  private final Clock clock;
  private final int perSecond;
  private long second = Long.MIN_VALUE;
  private int spent;

  ReviewBudget(Clock clock, int perSecond) {
    this.clock = clock;
    this.perSecond = perSecond;
  }

  /** Whether one more review may be asked for now; counts it when so. */
  synchronized boolean take() {
    long now = Instant.now(clock).getEpochSecond();
    if (now != second) {
      second = now;
      spent = 0;
    }
    if (spent >= perSecond) {
      return false;
    }
    spent++;
    return true;
  }
}
