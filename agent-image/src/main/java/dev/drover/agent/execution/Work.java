package dev.drover.agent.execution;

import java.util.concurrent.ThreadPoolExecutor;

/**
 * An execution this agent took: one process ({@link Job}) or a batch of them ({@link BatchJob}).
 */
interface Work {
  /** Hands the work to the agent's workers, one thread a process. */
  void submit(ThreadPoolExecutor workers);

  /**
   * Takes back from the workers' queue whatever has not started; true when none of it had, so the
   * execution stays as untouched as if it had never been taken.
   */
  boolean withdraw(ThreadPoolExecutor workers);

  /** Marks the work fenced: whatever its processes do from now on, it is reported Lost. */
  void fence(String why);

  /** Stops its processes; the outcome is reported Cancelled, or Lost if it was fenced. */
  void cancel();

  /** Stops its processes without reporting an outcome. */
  void abandon();

  /** Stops its processes because the agent is stopping. */
  void stopForShutdown();
}
