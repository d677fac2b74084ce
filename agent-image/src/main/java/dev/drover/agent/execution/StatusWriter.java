package dev.drover.agent.execution;

import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports an execution's status with a merge patch of the status subresource, guarded by the
 * resourceVersion just read: a finished status is never overwritten. The operator records Lost for
 * an agent it declared gone and retries the work elsewhere, so a late Succeeded from that agent
 * must not replace it.
 */
class StatusWriter {
  private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);

  /** Conflicts come from the operator changing the spec (a cancel) as the status is written. */
  private static final int CONFLICT_ATTEMPTS = 3;

  private final KubernetesClient client;

  /**
   * Batches as this agent last wrote them, unfinished: a batch reports every item's start, so its
   * next write goes straight over what it wrote last, and reads first only when someone else wrote
   * in between.
   */
  private final Map<ExecutionKey, TaskExecution> batchesWritten = new ConcurrentHashMap<>();

  StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Returns false when there is nothing left to report to: the execution is gone (or replaced by a
   * new one of the same name), or its status is already finished.
   */
  boolean write(ExecutionKey key, TaskExecutionStatus status) {
    TaskExecution lastWritten = batchesWritten.remove(key);
    if (lastWritten != null && writtenOver(key, lastWritten, status)) {
      return true;
    }
    for (int attempt = 1; ; attempt++) {
      TaskExecution current =
          client
              .resources(TaskExecution.class)
              .inNamespace(key.namespace())
              .withName(key.name())
              .get();
      if (current == null
          || !key.uid().equals(current.getMetadata().getUid())
          || current.phase().isFinished()) {
        return false;
      }
      try {
        if (current.getSpec().batch()) {
          // A batch's lists shrink as items end: the whole status is replaced, not merged into.
          current.setStatus(status);
          remember(key, client.resource(current).updateStatus());
        } else {
          client
              .resource(patch(key, status, current.getMetadata().getResourceVersion()))
              .patchStatus();
        }
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return false;
        }
        if (e.getCode() == 409 && attempt < CONFLICT_ATTEMPTS) {
          continue;
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

  /** Replaces the status of a batch as last written; false when it changed since, or is gone. */
  private boolean writtenOver(
      ExecutionKey key, TaskExecution lastWritten, TaskExecutionStatus status) {
    lastWritten.setStatus(status);
    try {
      remember(key, client.resource(lastWritten).updateStatus());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 || e.getCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private void remember(ExecutionKey key, TaskExecution written) {
    if (!written.phase().isFinished()) {
      batchesWritten.put(key, written);
    }
  }

  private static TaskExecution patch(
      ExecutionKey key, TaskExecutionStatus status, String resourceVersion) {
    TaskExecution patch = new TaskExecution();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(key.namespace())
            .withName(key.name())
            .withResourceVersion(resourceVersion)
            .build());
    patch.setStatus(status);
    return patch;
  }
}
