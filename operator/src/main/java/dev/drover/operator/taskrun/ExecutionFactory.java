package dev.drover.operator.taskrun;

import dev.drover.api.DroverLabels;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionSpec;
import dev.drover.api.taskrun.Executor;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.operator.support.KubeNames;
import dev.drover.operator.support.Owners;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds the TaskExecution for one attempt of one unit, with a name that depends only on both. */
final class ExecutionFactory {
  private ExecutionFactory() {}

  static String name(String runName, String unitKey, int attempt) {
    return KubeNames.join(runName, unitKey, String.valueOf(attempt));
  }

  /**
   * A copy of a cached, undispatched execution with its agent set (the cached one stays untouched).
   */
  static TaskExecution dispatched(TaskExecution execution, String agent) {
    TaskExecution copy = new TaskExecution();
    copy.setMetadata(
        new ObjectMetaBuilder(execution.getMetadata())
            .addToLabels(DroverLabels.AGENT, agent)
            .build());
    copy.setSpec(execution.getSpec().dispatchedTo(agent));
    copy.setStatus(execution.getStatus());
    return copy;
  }

  /** An attempt for an agent; {@code agent} null leaves it undispatched. */
  static TaskExecution attempt(
      TaskRun run, String unitKey, String target, String item, int attempt, String agent) {
    return build(run, unitKey, target, item, attempt, agent, false, null);
  }

  /**
   * An attempt at a batch of the run's items, by their indices; {@code agent} null: undispatched.
   */
  static TaskExecution batchAttempt(
      TaskRun run, String unitKey, List<Integer> indices, int attempt, String agent) {
    TaskExecution execution = build(run, unitKey, null, null, attempt, agent, false, null);
    List<String> items = indices.stream().map(run.getSpec().items()::get).toList();
    execution.setSpec(execution.getSpec().toBuilder().items(items).itemIndices(indices).build());
    return execution;
  }

  /**
   * An attempt carried out by a pod; it starts once {@code released}. Broadcast units are pinned to
   * their node ({@code target}), others may run on any node the run's selector matches.
   */
  static TaskExecution podAttempt(
      TaskRun run,
      String unitKey,
      String target,
      String item,
      int attempt,
      boolean released,
      String avoidNode) {
    return build(run, unitKey, target, item, attempt, null, released, avoidNode);
  }

  /** A copy of a cached pod attempt, released to start (the cached one stays untouched). */
  static TaskExecution released(TaskExecution execution) {
    TaskExecution copy = new TaskExecution();
    copy.setMetadata(new ObjectMetaBuilder(execution.getMetadata()).build());
    copy.setSpec(execution.getSpec().releasedToStart());
    copy.setStatus(execution.getStatus());
    return copy;
  }

  private static TaskExecution build(
      TaskRun run,
      String unitKey,
      String target,
      String item,
      int attempt,
      String agent,
      boolean released,
      String avoidNode) {
    TaskRunSpec spec = run.getSpec();
    boolean inPod = spec.executorOrDefault() == Executor.Pod;
    Map<String, String> labels = new HashMap<>();
    labels.put(DroverLabels.RUN, KubeNames.labelValue(run.getMetadata().getName()));
    labels.put(DroverLabels.UNIT, unitKey);
    labels.put(DroverLabels.ATTEMPT, String.valueOf(attempt));
    if (agent != null) {
      labels.put(DroverLabels.AGENT, agent);
    }
    if (inPod) {
      labels.put(DroverLabels.EXECUTOR, DroverLabels.EXECUTOR_POD);
    }
    TaskExecution execution = new TaskExecution();
    execution.setMetadata(
        new ObjectMetaBuilder()
            .withName(name(run.getMetadata().getName(), unitKey, attempt))
            .withNamespace(run.getMetadata().getNamespace())
            .withLabels(labels)
            .withOwnerReferences(Owners.controlledBy(run))
            .build());
    execution.setSpec(
        TaskExecutionSpec.builder()
            .run(run.getMetadata().getName())
            .unit(unitKey)
            .target(target)
            .item(item)
            .attempt(attempt)
            .agent(agent)
            .command(spec.command())
            .args(spec.args())
            .script(spec.script())
            .env(spec.env())
            .workingDir(spec.workingDir())
            .timeoutSeconds(spec.timeoutSeconds())
            .pod(inPod ? spec.pod() : null)
            .nodeSelector(inPod && target == null ? spec.selector() : null)
            .avoidNode(avoidNode)
            .released(inPod && released ? true : null)
            .build());
    return execution;
  }
}
