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
 * Reports an execution's status with a merge patch of the status subresource, guarded by a
 * resourceVersion at which the execution was seen unfinished: a finished status is never
 * overwritten. The operator records Lost for an agent it declared gone and retries the work
 * elsewhere, so a late Succeeded from that agent must not replace it.
 *
 * <p>The version is the one this agent last observed or wrote, so a write usually needs no read
 * first; when someone else changed the execution since, the patch conflicts and the execution is
 * read and judged again.
 */
class StatusWriter implements StatusReporter.Writer {
  private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);

  /** Conflicts come from the operator changing the spec (a cancel) as the status is written. */
  private static final int CONFLICT_ATTEMPTS = 3;

  private final KubernetesClient client;

  /** By uid: the latest version of each unfinished execution this agent saw or wrote. */
  private final Map<String, String> unfinishedVersions = new ConcurrentHashMap<>();

  StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void observed(TaskExecution execution) {
    remember(execution);
  }

  @Override
  public void forget(String uid) {
    unfinishedVersions.remove(uid);
  }

  /**
   * Returns false when there is nothing left to report to: the execution is gone (or replaced by a
   * new one of the same name), or its status is already finished.
   */
  @Override
  public boolean write(ExecutionKey key, TaskExecutionStatus status) {
    String version = unfinishedVersions.get(key.uid());
    for (int reads = 0; ; ) {
      if (version == null) {
        reads++;
        TaskExecution current =
            client
                .resources(TaskExecution.class)
                .inNamespace(key.namespace())
                .withName(key.name())
                .get();
        if (current == null
            || !key.uid().equals(current.getMetadata().getUid())
            || current.phase().isFinished()) {
          forget(key.uid());
          return false;
        }
        version = current.getMetadata().getResourceVersion();
      }
      try {
        remember(client.resource(patch(key, status, version)).patchStatus());
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          forget(key.uid());
          return false;
        }
        if (e.getCode() == 409 && reads < CONFLICT_ATTEMPTS) {
          version = null;
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

  private void remember(TaskExecution execution) {
    String uid = execution.getMetadata().getUid();
    if (execution.phase().isFinished()) {
      unfinishedVersions.remove(uid);
    } else {
      unfinishedVersions.put(uid, execution.getMetadata().getResourceVersion());
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
