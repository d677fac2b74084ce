package dev.drover.api.schedule;

/** What a due time does while an earlier run of the same ScheduledTask is still active. */
public enum ConcurrencyPolicy {
  /** Start the new run beside it. */
  Allow,
  /** Skip the new run (counted as missed). */
  Forbid,
  /** Cancel the active run and start the new one. */
  Replace
}
