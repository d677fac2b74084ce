package dev.drover.console.cluster;

import dev.drover.api.flow.TaskFlow;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;

/** The phase of a run or flow as the pages show it: Pending until the operator writes one. */
public final class Phases {
  private Phases() {}

  public static RunPhase of(TaskRun run) {
    return run.getStatus() == null || run.getStatus().phase() == null
        ? RunPhase.Pending
        : run.getStatus().phase();
  }

  public static RunPhase of(TaskFlow flow) {
    return flow.getStatus() == null || flow.getStatus().phase() == null
        ? RunPhase.Pending
        : flow.getStatus().phase();
  }
}
