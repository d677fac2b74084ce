package dev.drover.operator.taskrun;

import dev.drover.api.Timestamps;
import dev.drover.api.agent.Agent;
import dev.drover.api.agent.AgentSpec;
import dev.drover.api.agent.AgentStatus;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionStatus;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.Executor;
import dev.drover.api.taskrun.PodOptions;
import dev.drover.api.taskrun.RetryPolicy;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.api.taskrun.TaskRunStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builders for the objects a run decision rests on. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  private Fixtures() {}

  static TaskRunSpec spec(Dispatch dispatch) {
    return TaskRunSpec.builder()
        .selector(new LabelSelectorBuilder().addToMatchLabels("role", "scanner").build())
        .dispatch(dispatch)
        .items(dispatch == Dispatch.Distribute ? List.of("a", "b", "c", "d") : null)
        .command(List.of("echo"))
        .args(List.of("$(DROVER_ITEM)"))
        .build();
  }

  /** The spec run by pods of postgres:16 on nodes labelled role=scanner. */
  static TaskRunSpec inPods(TaskRunSpec s, Toleration... tolerations) {
    PodOptions pod =
        new PodOptions(
            "postgres:16", null, null, null, null, null, null, List.of(tolerations), null, null);
    return s.toBuilder().executor(Executor.Pod).pod(pod).build();
  }

  static Node node(String name, String role, Taint... taints) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(Map.of("role", role, "kubernetes.io/hostname", name))
        .endMetadata()
        .withNewSpec()
        .withTaints(taints)
        .endSpec()
        .build();
  }

  static TaskRunSpec withRetries(TaskRunSpec s, int limit, int backoffSeconds) {
    return s.toBuilder().retries(new RetryPolicy(limit, backoffSeconds, 2.0, 300)).build();
  }

  static TaskRunSpec withParallelism(TaskRunSpec s, int parallelism) {
    return s.toBuilder().parallelism(parallelism).build();
  }

  static TaskRunSpec withMaxFailures(TaskRunSpec s, IntOrString maxFailures) {
    return s.toBuilder().maxFailures(maxFailures).build();
  }

  static TaskRunSpec withDeadline(TaskRunSpec s, long seconds) {
    return s.toBuilder().activeDeadlineSeconds(seconds).build();
  }

  /** Fails NoTargets at once instead of waiting for a target to become Ready. */
  static TaskRunSpec failFast(TaskRunSpec s) {
    return s.toBuilder().targetWaitSeconds(0L).build();
  }

  static TaskRunSpec cancelled(TaskRunSpec s) {
    return s.toBuilder().cancel(true).build();
  }

  static TaskRun run(TaskRunSpec spec) {
    TaskRun run = new TaskRun();
    run.setMetadata(
        new ObjectMetaBuilder()
            .withName("scan")
            .withNamespace("ops")
            .withUid("uid-1")
            .withGeneration(1L)
            .build());
    run.setSpec(spec);
    return run;
  }

  /** The run as a previous pass left it: started at {@code started}. */
  static TaskRun started(TaskRunSpec spec, Instant started) {
    TaskRun run = run(spec);
    run.setStatus(
        new TaskRunStatus(
            null,
            null,
            null,
            Timestamps.format(started),
            null,
            null,
            null,
            null,
            null,
            null,
            1L,
            null,
            null,
            null,
            null,
            null));
    return run;
  }

  /** The run as it stands after succeeding at {@code at}, having started then too. */
  static void completed(TaskRun run, Instant at) {
    run.setStatus(
        new TaskRunStatus(
            RunPhase.Succeeded,
            "Completed",
            null,
            Timestamps.format(at),
            Timestamps.format(at),
            null,
            null,
            null,
            null,
            null,
            1L,
            null,
            null,
            null,
            null,
            null));
  }

  static Agent agent(String name, int capacity, boolean ready, String... namespaces) {
    Agent agent = new Agent();
    agent.setMetadata(
        new ObjectMetaBuilder().withName(name).withLabels(Map.of("role", "scanner")).build());
    agent.setSpec(
        new AgentSpec(
            capacity,
            List.of(namespaces.length == 0 ? new String[] {"ops"} : namespaces),
            null,
            null,
            null,
            null,
            null));
    AgentStatus status = new AgentStatus();
    status.setConditions(
        List.of(
            new ConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False").build()));
    agent.setStatus(status);
    return agent;
  }

  static TaskExecution execution(
      TaskRun run,
      String unit,
      String target,
      String item,
      int attempt,
      String agent,
      ExecutionPhase phase,
      Instant completedAt) {
    TaskExecution execution = ExecutionFactory.attempt(run, unit, target, item, attempt, agent);
    execution.getMetadata().setResourceVersion("1");
    if (phase != null) {
      execution.setStatus(
          TaskExecutionStatus.of(phase, null, "tail")
              .startedAt(Timestamps.format(T0))
              .completedAt(Timestamps.format(completedAt))
              .withExitCode(phase == ExecutionPhase.Failed ? 2 : null));
    }
    return execution;
  }

  /** A pod attempt as the pod executor left it; {@code node} is where its pod ran. */
  static TaskExecution podExecution(
      TaskRun run,
      String unit,
      String target,
      String item,
      boolean released,
      ExecutionPhase phase,
      String node) {
    TaskExecution execution =
        ExecutionFactory.podAttempt(run, unit, target, item, 1, released, null);
    execution.getMetadata().setResourceVersion("1");
    if (phase != null) {
      execution.setStatus(
          TaskExecutionStatus.of(phase, null, "tail")
              .startedAt(Timestamps.format(T0))
              .completedAt(phase.isFinished() ? Timestamps.format(T0) : null)
              .withExitCode(phase == ExecutionPhase.Failed ? 1 : null)
              .onNode(node));
    }
    return execution;
  }
}
