package dev.drover.api;

/** Label keys that link Drover objects to each other; agents and the operator select by them. */
public final class DroverLabels {
  public static final String GROUP = "drover.dev";
  /** The TaskRun an execution belongs to. */
  public static final String RUN = GROUP + "/run";
  /** The unit of work (agent, item index or "single") an execution carries out. */
  public static final String UNIT = GROUP + "/unit";
  /** The attempt number of an execution, starting at 1. */
  public static final String ATTEMPT = GROUP + "/attempt";
  /** The agent an execution is dispatched to; absent until it is dispatched. */
  public static final String AGENT = GROUP + "/agent";

  private DroverLabels() {}
}
