package dev.drover.api.taskrun;

/** Which of the selected targets run the command. */
public enum Dispatch {
  /** Every matching target runs it once. */
  Broadcast,
  /** One matching target, the least loaded, runs it. */
  Single,
  /** Each item of {@code items} runs once on whichever matching target has room. */
  Distribute
}
