package dev.drover.api.taskrun;

public enum RunPhase {
  Pending,
  Running,
  Succeeded,
  Failed,
  Cancelled;

  public boolean isFinished() {
    return this == Succeeded || this == Failed || this == Cancelled;
  }
}
