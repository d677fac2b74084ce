package dev.drover.operator.taskrun;

import dev.drover.api.taskrun.RetryPolicy;
import java.time.Duration;

/** Exponential backoff between the attempts of one target. */
final class Backoff {
  private Backoff() {}

  /**
   * The wait before {@code attempt} (2 for the first retry): backoff × factor^(attempt-2), capped.
   */
  static Duration before(int attempt, RetryPolicy policy) {
    if (attempt < 2) {
      return Duration.ZERO;
    }
    double seconds =
        policy.backoffSecondsOrDefault() * Math.pow(policy.backoffFactorOrDefault(), attempt - 2);
    long capped = (long) Math.min(seconds, policy.maxBackoffSecondsOrDefault());
    return Duration.ofSeconds(capped);
  }
}
