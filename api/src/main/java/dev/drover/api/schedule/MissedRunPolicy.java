package dev.drover.api.schedule;

/**
 * What happens to due times that passed without a run (operator down, suspended, API unreachable).
 */
public enum MissedRunPolicy {
  /** Fire the most recent missed time once, if still within startingDeadlineSeconds. */
  RunOnce,
  /** Fire nothing until the next due time. */
  Skip,
  /** Fire the missed times oldest first, at most maxCatchUp of them (the most recent ones). */
  CatchUp
}
