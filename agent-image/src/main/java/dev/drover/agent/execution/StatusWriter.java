package dev.drover.agent.execution;

import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reports an execution's status with a merge patch of the status subresource. */
class StatusWriter {
  private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);
  private final KubernetesClient client;

  StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /** Returns false when the execution no longer exists (its run was deleted). */
  boolean write(ExecutionKey key, TaskExecutionStatus status) {
    TaskExecution patch = new TaskExecution();
    patch.setMetadata(
        new ObjectMetaBuilder().withNamespace(key.namespace()).withName(key.name()).build());
    patch.setStatus(status);
    try {
      client.resource(patch).patchStatus();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      log.warn(
          "Could not report {} of {}/{}: {}",
          status.phase(),
          key.namespace(),
          key.name(),
          e.getMessage());
      throw e;
    }
  }
}
