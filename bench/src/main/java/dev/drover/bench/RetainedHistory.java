package dev.drover.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.api.DroverLabels;
import dev.drover.api.EnvEntry;
import dev.drover.api.Timestamps;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionSpec;
import dev.drover.api.execution.TaskExecutionStatus;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.RetryPolicy;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TargetCounts;
import dev.drover.api.taskrun.TargetResult;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.api.taskrun.TaskRunStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A long history as {@link OperatorMemoryBenchmark} keeps it: finished TaskRuns applied as a person
 * applies them, with their executions' output tails in their status, and their TaskExecutions as
 * the operator creates them and an agent finishes them.
 *
 * @param executionsPerRun executions of each run, one per agent
 * @param tailBytes size of each execution's output tail
 */
record RetainedHistory(int executionsPerRun, int tailBytes) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int RESULT_MESSAGE = 1024;

  /** One run as a person applies it, its executions as the operator and an agent leave them. */
  void write(KubernetesClient client, String namespace, int index) {
    TaskRun run = client.resource(appliedRun(namespace, index)).create();
    Instant start = Instant.now().minusSeconds(3600);
    List<TargetResult> results = new ArrayList<>();
    for (int unit = 0; unit < executionsPerRun; unit++) {
      String agent = "db-" + String.format("%03d", (index + unit) % 500);
      TaskExecution execution = client.resource(execution(run, agent)).create();
      TaskExecutionStatus finished =
          TaskExecutionStatus.of(ExecutionPhase.Succeeded, "Completed", tail(run, agent))
              .startedAt(Timestamps.format(start))
              .completedAt(start.plusSeconds(40 + unit))
              .withExitCode(0)
              .withProcessId(4000L + index * 10L + unit)
              .withResult("dumped " + (1000 + index % 9000) + " tables to /backup/" + agent);
      execution.setStatus(finished);
      client.resource(execution).updateStatus();
      results.add(
          new TargetResult(
              agent,
              null,
              agent,
              null,
              ExecutionPhase.Succeeded,
              1,
              0,
              "Completed",
              finished.startTime(),
              finished.completionTime(),
              finished.message().substring(finished.message().length() - RESULT_MESSAGE)));
    }
    run.setStatus(finishedStatus(run, start, results));
    client.resource(run).updateStatus();
  }

  private static TaskRun appliedRun(String namespace, int index) {
    TaskRun run = new TaskRun();
    run.setMetadata(
        new ObjectMetaBuilder()
            .withName("nightly-db-backup-" + index)
            .withNamespace(namespace)
            .withLabels(Map.of("team", "dba", "app", "backup-" + index % 10))
            .build());
    run.setSpec(
        TaskRunSpec.builder()
            .selector(new LabelSelectorBuilder().addToMatchLabels("role", "db").build())
            .dispatch(Dispatch.Broadcast)
            .script(
                "set -eu\n"
                    + "target=/backup/$(date +%F)-$DROVER_AGENT.sql.gz\n"
                    + "pg_dumpall --clean --if-exists | gzip > \"$target\"\n"
                    + "ls -l \"$target\"\n"
                    + "echo \"dumped $(zcat \"$target\" | grep -c '^CREATE TABLE') tables to"
                    + " /backup/$DROVER_AGENT\" > \"$DROVER_RESULT\"\n")
            .env(
                List.of(
                    new EnvEntry("PGHOST", "/var/run/postgresql"),
                    new EnvEntry("PGUSER", "backup")))
            .timeoutSeconds(1800L)
            .retries(new RetryPolicy(2, 60, null, null))
            .build());
    try {
      // What kubectl apply leaves: the applied manifest in an annotation.
      Map<String, Object> applied = new LinkedHashMap<>();
      applied.put("apiVersion", run.getApiVersion());
      applied.put("kind", run.getKind());
      applied.put("metadata", run.getMetadata());
      applied.put("spec", run.getSpec());
      run.getMetadata()
          .setAnnotations(
              Map.of(
                  "kubectl.kubernetes.io/last-applied-configuration",
                  JSON.writeValueAsString(applied) + "\n"));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return run;
  }

  /** As the operator creates a Broadcast's execution for one agent. */
  private static TaskExecution execution(TaskRun run, String agent) {
    String runName = run.getMetadata().getName();
    TaskExecution execution = new TaskExecution();
    execution.setMetadata(
        new ObjectMetaBuilder()
            .withName(runName + "-" + agent + "-1")
            .withNamespace(run.getMetadata().getNamespace())
            .withLabels(
                Map.of(
                    DroverLabels.RUN, runName,
                    DroverLabels.UNIT, agent,
                    DroverLabels.ATTEMPT, "1",
                    DroverLabels.AGENT, agent))
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(run.getApiVersion())
                    .withKind(run.getKind())
                    .withName(runName)
                    .withUid(run.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build())
            .build());
    TaskRunSpec spec = run.getSpec();
    execution.setSpec(
        TaskExecutionSpec.builder()
            .run(runName)
            .unit(agent)
            .target(agent)
            .attempt(1)
            .agent(agent)
            .script(spec.script())
            .env(spec.env())
            .timeoutSeconds(spec.timeoutSeconds())
            .build());
    return execution;
  }

  /** Output lines of a backup, different for every execution, to the tail's size. */
  private String tail(TaskRun run, String agent) {
    StringBuilder out = new StringBuilder();
    int line = 0;
    while (out.length() < tailBytes) {
      out.append("pg_dump: dumping contents of table \"public.")
          .append(run.getMetadata().getName())
          .append('_')
          .append(agent)
          .append('_')
          .append(line++)
          .append("\"\n");
    }
    return out.substring(out.length() - tailBytes);
  }

  private TaskRunStatus finishedStatus(TaskRun run, Instant start, List<TargetResult> results) {
    String completion = Timestamps.format(start.plusSeconds(40 + executionsPerRun));
    String message = executionsPerRun + "/" + executionsPerRun + " targets succeeded";
    Long generation = run.getMetadata().getGeneration();
    List<Condition> conditions =
        List.of(
            condition("Succeeded", "True", "Completed", message, generation, completion),
            condition("Failed", "False", "NotFailed", "", generation, completion));
    return new TaskRunStatus(
        RunPhase.Succeeded,
        "Completed",
        message,
        Timestamps.format(start),
        completion,
        (40 + executionsPerRun) + "s",
        executionsPerRun + "/" + executionsPerRun,
        new TargetCounts(executionsPerRun, 0, 0, 0, 0, executionsPerRun, 0, 0),
        results,
        conditions,
        generation,
        null,
        null,
        null,
        null,
        null);
  }

  private static Condition condition(
      String type, String status, String reason, String message, Long generation, String time) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(time)
        .build();
  }
}
