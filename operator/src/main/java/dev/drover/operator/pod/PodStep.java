package dev.drover.operator.pod;

import dev.drover.api.execution.TaskExecutionStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;

/**
 * What to do about one pod attempt, computed without side effects.
 *
 * @param create the pod to create, or null
 * @param deletePod whether to delete the attempt's pod
 * @param status the execution's status to write when it differs from the current one, or null
 * @param requeueAfter when to look again although nothing changed, or null
 */
record PodStep(Pod create, boolean deletePod, TaskExecutionStatus status, Duration requeueAfter) {
  static final PodStep NOTHING = new PodStep(null, false, null, null);

  static PodStep report(TaskExecutionStatus status) {
    return new PodStep(null, false, status, null);
  }
}
