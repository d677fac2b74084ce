package dev.drover.api.execution;

/** Lifecycle of one target's share of a run. */
public enum ExecutionPhase {
  /** Created; not yet taken by an agent. */
  Pending,
  /** Taken by an agent that is at capacity. */
  Queued,
  Running,
  /** The attempt failed and the next one waits out its backoff (a run-level view only). */
  Retrying,
  Succeeded,
  Failed,
  TimedOut,
  Cancelled,
  /** The agent vanished (its Lease expired, or it restarted) while the execution was unfinished. */
  Lost;

  public boolean isFinished() {
    return this == Succeeded
        || this == Failed
        || this == TimedOut
        || this == Cancelled
        || this == Lost;
  }

  public boolean isFailure() {
    return this == Failed || this == TimedOut || this == Lost;
  }
}
