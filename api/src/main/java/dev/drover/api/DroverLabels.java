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

  /** On executions carried out by a pod, and on their pods: "pod". */
  public static final String EXECUTOR = GROUP + "/executor";

  public static final String EXECUTOR_POD = "pod";

  /** The ScheduledTask a TaskRun or TaskFlow was created by. */
  public static final String SCHEDULED_TASK = GROUP + "/scheduled-task";

  /**
   * Annotation: the due instant a scheduled TaskRun or TaskFlow stands for (RFC 3339, milliseconds,
   * before jitter).
   */
  public static final String SCHEDULED_TIME = GROUP + "/scheduled-time";

  /** Annotation on a ScheduledTask: each new value fires exactly one run. */
  public static final String RUN_NOW = GROUP + "/run-now";

  /** On a TaskRun or TaskFlow started again from another's spec: the original's name. */
  public static final String RERUN_OF = GROUP + "/rerun-of";

  /** The TaskFlow a TaskRun carries a task of. */
  public static final String FLOW = GROUP + "/flow";

  /** The flow task a TaskRun carries out. */
  public static final String FLOW_TASK = GROUP + "/flow-task";

  /** How many retries of its flow preceded the TaskRun (0 for the first try). */
  public static final String FLOW_RETRY = GROUP + "/flow-retry";

  /**
   * Annotation: each new value retries once the failed tasks of a TaskFlow (and the ones skipped
   * for them), or the failed, timed-out and lost targets of a Failed TaskRun.
   */
  public static final String RETRY = GROUP + "/retry";

  private DroverLabels() {}
}
