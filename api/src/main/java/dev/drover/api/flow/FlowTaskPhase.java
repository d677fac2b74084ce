package dev.drover.api.flow;

/** Where one task of a flow stands. */
public enum FlowTaskPhase {
  /** Waiting for what it depends on. */
  Pending,
  Running,
  Succeeded,
  Failed,
  /** Its condition or a guard turned out false, or the flow stopped before it started. */
  Skipped,
  Cancelled;

  public boolean isSettled() {
    return this == Succeeded || this == Failed || this == Skipped || this == Cancelled;
  }
}
