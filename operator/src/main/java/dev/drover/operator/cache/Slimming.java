package dev.drover.operator.cache;

import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionSpec;
import dev.drover.api.execution.TaskExecutionStatus;
import dev.drover.api.taskrun.TargetResult;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunStatus;
import dev.drover.operator.support.Texts;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
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
 * tail in both the execution and its run's results) are kept once.
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
      metadata.setManagedFields(null);
      Map<String, String> annotations = metadata.getAnnotations();
      if (annotations != null) {
        annotations.remove(LAST_APPLIED);
      }
    }
    return object;
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
      execution.getMetadata().setManagedFields(null);
    }
    TaskExecutionSpec spec = execution.getSpec();
    if (spec != null && spec.script() != null) {
      execution.setSpec(spec.toBuilder().script(shared(spec.script())).build());
    }
    TaskExecutionStatus status = execution.getStatus();
    if (status != null && execution.phase().isFinished() && status.message() != null) {
      execution.setStatus(status.withMessage(shared(Texts.tail(status.message(), keptTail))));
    }
    return execution;
  }

  private static TargetResult shared(TargetResult result) {
    return result.message() == null ? result : result.withMessage(shared(result.message()));
  }

  /** One copy of each long text however many objects hold it. */
  static String shared(String text) {
    return text == null || text.length() < SHARED_FROM ? text : text.intern();
  }
}
