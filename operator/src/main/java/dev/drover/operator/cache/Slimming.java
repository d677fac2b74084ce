package dev.drover.operator.cache;

import dev.drover.api.EnvEntry;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionSpec;
import dev.drover.api.execution.TaskExecutionStatus;
import dev.drover.api.taskrun.TargetResult;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunStatus;
import dev.drover.operator.support.Texts;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.Map;

/**
 * What the operator's caches drop or share of the objects they keep. Nothing dropped here is read
 * by a reconcile, and no write starts from what is dropped:
 *
 * <ul>
 *   <li>Managed fields: the operator never reads them, and an update that carries none leaves the
 *       API server's record of them as it was.
 *   <li>The last-applied annotation of {@code kubectl apply}: read by nothing, and only status is
 *       ever written from a cached run, flow, schedule, Task, Agent, Node or Pod (a status write
 *       ignores metadata). Executions keep theirs: the dispatch update writes their cached metadata
 *       back whole.
 *   <li>Of a finished execution's output tail, all but what its run's status shows of it.
 * </ul>
 *
 * Long texts that are equal across objects (a run's script in each of its executions, an output
 * tail in both the execution and its run's results) are kept once, and so are the short values many
 * objects repeat (namespaces, label values, owners, timestamps to the second).
 */
public final class Slimming {
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  /** Texts shorter than this are not worth a lookup in the shared table. */
  private static final int SHARED_FROM = 64;

  private Slimming() {}

  /** Without managed fields and the last-applied annotation; the object itself, changed. */
  public static <T extends HasMetadata> T withoutBookkeeping(T object) {
    ObjectMeta metadata = object.getMetadata();
    if (metadata != null) {
      slimmed(metadata);
      Map<String, String> annotations = metadata.getAnnotations();
      if (annotations != null) {
        annotations.remove(LAST_APPLIED);
      }
    }
    return object;
  }

  /**
   * Without managed fields, and the values that many objects repeat (namespace, creation second,
   * label values, owners) kept once: each object arrives with copies of its own.
   */
  private static void slimmed(ObjectMeta metadata) {
    metadata.setManagedFields(null);
    metadata.setNamespace(common(metadata.getNamespace()));
    metadata.setCreationTimestamp(common(metadata.getCreationTimestamp()));
    if (metadata.getLabels() != null) {
      metadata.getLabels().replaceAll((key, value) -> common(value));
    }
    if (metadata.getOwnerReferences() != null) {
      for (OwnerReference owner : metadata.getOwnerReferences()) {
        owner.setApiVersion(common(owner.getApiVersion()));
        owner.setKind(common(owner.getKind()));
        owner.setName(common(owner.getName()));
        owner.setUid(common(owner.getUid()));
      }
    }
  }

  /** A run without bookkeeping, its results' output tails shared with its executions. */
  public static TaskRun run(TaskRun run) {
    withoutBookkeeping(run);
    TaskRunStatus status = run.getStatus();
    if (status != null && status.results() != null) {
      run.setStatus(status.withResults(status.results().stream().map(Slimming::shared).toList()));
    }
    return run;
  }

  /**
   * An execution without managed fields (annotations kept), its long spec texts shared and, once
   * finished, its output tail cut to its last {@code keptTail} characters.
   */
  public static TaskExecution execution(TaskExecution execution, int keptTail) {
    if (execution.getMetadata() != null) {
      slimmed(execution.getMetadata());
    }
    TaskExecutionSpec spec = execution.getSpec();
    if (spec != null) {
      execution.setSpec(
          spec.toBuilder()
              .run(common(spec.run()))
              .unit(common(spec.unit()))
              .target(common(spec.target()))
              .agent(common(spec.agent()))
              .script(shared(spec.script()))
              .env(spec.env() == null ? null : spec.env().stream().map(Slimming::common).toList())
              .build());
    }
    TaskExecutionStatus status = execution.getStatus();
    if (status != null) {
      status =
          status.startedAt(common(status.startTime())).completedAt(common(status.completionTime()));
      if (execution.phase().isFinished() && status.message() != null) {
        status = status.withMessage(shared(Texts.tail(status.message(), keptTail)));
      }
      execution.setStatus(status);
    }
    return execution;
  }

  private static EnvEntry common(EnvEntry entry) {
    return new EnvEntry(common(entry.name()), common(entry.value()));
  }

  /** One copy of a short value that many cached objects hold (the JVM's string table). */
  static String common(String value) {
    return value == null ? null : value.intern();
  }

  private static TargetResult shared(TargetResult result) {
    return result.message() == null ? result : result.withMessage(shared(result.message()));
  }

  /** One copy of each long text however many objects hold it. */
  static String shared(String text) {
    return text == null || text.length() < SHARED_FROM ? text : text.intern();
  }
}
