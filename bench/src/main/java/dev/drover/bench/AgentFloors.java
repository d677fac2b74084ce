package dev.drover.bench;

import dev.drover.api.DroverLabels;
import dev.drover.api.Timestamps;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionSpec;
import dev.drover.api.execution.TaskExecutionStatus;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.api.taskrun.TaskRunStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The writes a perfect operator and perfect agents could not avoid, made by the benchmark's own
 * client in a namespace nobody watches: per target one TaskExecution created and one status written
 * by its agent (Running and the outcome in one), and per run its creation and two status writes
 * (Running, then the outcome). Nothing is read back, no Event is recorded, nothing is retried: a
 * floor to hold the real path against, measured in the same run.
 */
final class AgentFloors {
  private final KubernetesClient client;
  private final String namespace;
  private final BenchCluster cluster;

  AgentFloors(KubernetesClient client, String namespace, BenchCluster cluster) {
    this.client = client;
    this.namespace = namespace;
    this.cluster = cluster;
  }

  /** One run of {@code targets} executions, {@code threads} writes at a time. */
  Duration broadcast(String name, int targets, int threads) throws Exception {
    Instant start = Instant.now();
    TaskRun run = client.resource(run(name)).create();
    writeRunStatus(run, RunPhase.Running);
    cluster.inParallel(threads, targets, i -> writeExecution(run, "agent-" + i));
    writeRunStatus(run, RunPhase.Succeeded);
    return Duration.between(start, Instant.now());
  }

  /** {@code runs} runs of one execution each, {@code threads} runs at a time. */
  Duration singles(String prefix, int runs, int threads) throws Exception {
    return cluster.inParallel(
        threads,
        runs,
        i -> {
          TaskRun run = client.resource(run(prefix + "-" + i)).create();
          writeRunStatus(run, RunPhase.Running);
          writeExecution(run, "single");
          writeRunStatus(run, RunPhase.Succeeded);
        });
  }

  /** The execution's create and its agent's one status write. */
  private void writeExecution(TaskRun run, String unit) {
    TaskExecution created = client.resource(execution(run, unit)).create();
    String now = Timestamps.format(Instant.now());
    TaskExecution status = new TaskExecution();
    status.setMetadata(
        new ObjectMetaBuilder()
            .withName(created.getMetadata().getName())
            .withNamespace(namespace)
            .withResourceVersion(created.getMetadata().getResourceVersion())
            .build());
    status.setStatus(
        TaskExecutionStatus.of(ExecutionPhase.Succeeded, "Completed", null)
            .startedAt(now)
            .completedAt(now)
            .withExitCode(0));
    client.resource(status).patchStatus();
  }

  private void writeRunStatus(TaskRun run, RunPhase phase) {
    TaskRun status = new TaskRun();
    status.setMetadata(
        new ObjectMetaBuilder()
            .withName(run.getMetadata().getName())
            .withNamespace(namespace)
            .build());
    status.setStatus(
        new TaskRunStatus(
            phase,
            null,
            null,
            Timestamps.format(Instant.now()),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null));
    client.resource(status).patchStatus();
  }

  private TaskRun run(String name) {
    TaskRun run = new TaskRun();
    run.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    run.setSpec(TaskRunSpec.builder().command(List.of("true")).build());
    return run;
  }

  /** An execution as heavy as the operator's: its labels, owner and the run's command. */
  private TaskExecution execution(TaskRun run, String unit) {
    String name = run.getMetadata().getName() + "-" + unit + "-1";
    TaskExecution execution = new TaskExecution();
    execution.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(
                Map.of(
                    DroverLabels.RUN,
                    run.getMetadata().getName(),
                    DroverLabels.UNIT,
                    unit,
                    DroverLabels.ATTEMPT,
                    "1",
                    DroverLabels.AGENT,
                    unit))
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(run.getApiVersion())
                    .withKind(run.getKind())
                    .withName(run.getMetadata().getName())
                    .withUid(run.getMetadata().getUid())
                    .withController(true)
                    .build())
            .build());
    execution.setSpec(
        TaskExecutionSpec.builder()
            .run(run.getMetadata().getName())
            .unit(unit)
            .target(unit)
            .attempt(1)
            .agent(unit)
            .command(List.of("true"))
            .build());
    return execution;
  }
}
