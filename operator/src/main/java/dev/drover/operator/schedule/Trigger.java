package dev.drover.operator.schedule;

import java.time.Instant;
import java.util.Optional;

/** When a ScheduledTask is due. */
interface Trigger {
  /** The first due time strictly after {@code instant}, if any. */
  Optional<Instant> next(Instant instant);

  /** The last due time at or before {@code instant}, if any. */
  Optional<Instant> latestAtOrBefore(Instant instant);

  /** The trigger in short, as kubectl get shows it. */
  String describe();
}
