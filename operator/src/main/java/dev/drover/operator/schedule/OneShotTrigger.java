package dev.drover.operator.schedule;

import java.time.Instant;
import java.util.Optional;

/** Due once. */
record OneShotTrigger(Instant at) implements Trigger {
  @Override
  public Optional<Instant> next(Instant instant) {
    return instant.isBefore(at) ? Optional.of(at) : Optional.empty();
  }

  @Override
  public Optional<Instant> latestAtOrBefore(Instant instant) {
    return instant.isBefore(at) ? Optional.empty() : Optional.of(at);
  }

  @Override
  public String describe() {
    return "at " + at;
  }
}
