package dev.drover.operator.support;

import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;

/**
 * Writes an execution's outcome on behalf of an agent that cannot (lost, or past its timeout). The
 * write carries the cached resourceVersion, so an agent's own report wins any race.
 */
public final class ExecutionOutcomes {
  private ExecutionOutcomes() {}

  /**
   * Returns false when the execution changed or vanished meanwhile; the next event decides then.
   */
  public static boolean record(
      KubernetesClient client,
      TaskExecution execution,
      ExecutionPhase phase,
      String reason,
      String message,
      Instant now) {
    TaskExecution copy = new TaskExecution();
    copy.setMetadata(new ObjectMetaBuilder(execution.getMetadata()).build());
    copy.setSpec(execution.getSpec());
    copy.setStatus(TaskExecutionStatus.ended(execution.getStatus(), phase, reason, message, now));
    try {
      client.resource(copy).updateStatus();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 || e.getCode() == 404) {
        return false;
      }
      throw e;
    }
  }
}
