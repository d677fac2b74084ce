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
 * Reports an execution's status to the status subresource, guarded by a resourceVersion at which
 * the execution was seen unfinished: a finished status is never overwritten. The operator records
 * Lost for an agent it declared gone and retries the work elsewhere, so a late Succeeded from that
 * agent must not replace it.
 *
 * <p>The version is the one this agent last observed or wrote, so a write usually needs no read
 * first; when someone else changed the execution since, the write conflicts and the execution is
 * read and judged again.
 */
class StatusWriter implements StatusReporter.Writer {
  private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);

  /** Conflicts come from the operator changing the spec (a cancel) as the status is written. */
  private static final int CONFLICT_ATTEMPTS = 3;

  private final KubernetesClient client;

  /** By uid: each unfinished execution as this agent last saw or wrote it. */
  private final Map<String, TaskExecution> unfinished = new ConcurrentHashMap<>();

  StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void observed(TaskExecution execution) {
    remember(execution);
  }

  @Override
  public void forget(String uid) {
    unfinished.remove(uid);
  }

  /**
   * Returns false when there is nothing left to report to: the execution is gone (or replaced by a
   * new one of the same name), or its status is already finished.
   */
  @Override
  public boolean write(ExecutionKey key, TaskExecutionStatus status) {
    TaskExecution known = unfinished.get(key.uid());
    for (int reads = 0; ; ) {
      if (known == null) {
        reads++;
        known =
            client
                .resources(TaskExecution.class)
                .inNamespace(key.namespace())
                .withName(key.name())
                .get();
        if (known == null
            || !key.uid().equals(known.getMetadata().getUid())
            || known.phase().isFinished()) {
          forget(key.uid());
          return false;
        }
      }
      try {
        remember(send(known, status));
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          forget(key.uid());
          return false;
        }
        if (e.getCode() == 409 && reads < CONFLICT_ATTEMPTS) {
          known = null;
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

  /**
   * Writes {@code status} over {@code known}, which stays as it was (it may be a cached object).
   */
  private TaskExecution send(TaskExecution known, TaskExecutionStatus status) {
    TaskExecution written = new TaskExecution();
    written.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(known.getMetadata().getNamespace())
            .withName(known.getMetadata().getName())
            .withResourceVersion(known.getMetadata().getResourceVersion())
            .build());
    written.setStatus(status);
    if (!known.getSpec().batch()) {
      return client.resource(written).patchStatus();
    }
    // A batch's lists shrink as items end: the whole status is replaced, not merged into.
    written.setSpec(known.getSpec());
    return client.resource(written).updateStatus();
  }

  private void remember(TaskExecution execution) {
    String uid = execution.getMetadata().getUid();
    if (execution.phase().isFinished()) {
      unfinished.remove(uid);
    } else {
      unfinished.put(uid, execution);
    }
  }
}
