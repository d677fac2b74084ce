package dev.drover.agent.execution;

import dev.drover.api.execution.ExecutionPhase;

/**
 * What the agent knows about an execution when it sees it, and what it does about it. Deciding has
 * no side effects; the supervisor carries the decision out.
 *
 * @param phase the phase the execution's status shows now
 * @param cancelRequested whether the operator asked to stop it
 * @param known whether this agent process already took it (to run, or to settle without running)
 * @param accepting false once the agent is shutting down, and while it is fenced
 * @param busySlots executions running or waiting for a slot on this agent
 * @param capacity how many executions this agent runs at once
 */
record Admission(
    ExecutionPhase phase,
    boolean cancelRequested,
    boolean known,
    boolean accepting,
    int busySlots,
    int capacity) {

  enum Decision {
    /** Take it and start it in a free slot. */
    RUN,
    /** Take it and report it Queued until a slot frees up. */
    QUEUE,
    /** Stop the job this agent has for it. */
    CANCEL_KNOWN,
    /** Report it Cancelled without ever starting it. */
    CANCEL_UNSTARTED,
    /**
     * An earlier process of this agent started it and died: stop what is left, report Cancelled.
     */
    CANCEL_LEFTOVER,
    /**
     * An earlier process of this agent started it and died: its outcome is unknown. A batch is
     * resumed instead: only the items that were running then are unknown.
     */
    REPORT_LOST,
    /** Someone else (the operator) ended it: stop the job without reporting. */
    ABANDON,
    IGNORE
  }

  Decision decide() {
    if (phase.isFinished()) {
      // Finished work is never run again, whoever finished it.
      return known ? Decision.ABANDON : Decision.IGNORE;
    }
    if (cancelRequested) {
      if (known) {
        return Decision.CANCEL_KNOWN;
      }
      if (!accepting) {
        return Decision.IGNORE;
      }
      return phase == ExecutionPhase.Running ? Decision.CANCEL_LEFTOVER : Decision.CANCEL_UNSTARTED;
    }
    if (known || !accepting) {
      return Decision.IGNORE;
    }
    if (phase == ExecutionPhase.Running) {
      // Running, yet this process never started it: running it again could repeat a side effect.
      return Decision.REPORT_LOST;
    }
    return busySlots >= capacity ? Decision.QUEUE : Decision.RUN;
  }
}
