package dev.drover.operator.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.DroverLabels;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionSpec;
import dev.drover.api.execution.TaskExecutionStatus;
import dev.drover.api.taskrun.TargetResult;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.api.taskrun.TaskRunStatus;
import dev.drover.operator.support.Texts;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SlimmingTest {
  private static final String TAIL = "line of output\n".repeat(200);
  private static final String SCRIPT =
      "pg_dumpall | gzip > /backup/$(date +%F).sql.gz # " + "x".repeat(80);

  @Test
  void dropsManagedFieldsAndTheLastAppliedAnnotationOnly() {
    TaskRun run = run(null);

    Slimming.withoutBookkeeping(run);

    assertThat(run.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(run.getMetadata().getAnnotations())
        .containsOnlyKeys("team")
        .doesNotContainKey(Slimming.LAST_APPLIED);
    assertThat(run.getMetadata().getLabels()).containsEntry("app", "backup");
    assertThat(run.getMetadata().getOwnerReferences()).hasSize(1);
    assertThat(run.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(run.getSpec()).isEqualTo(run(null).getSpec());
  }

  @Test
  void aRunKeepsAStatusEqualToTheOneItHad() {
    TaskRunStatus status = finishedRun(TAIL.substring(TAIL.length() - 1024));
    TaskRun run = run(status);

    Slimming.run(run);

    // Equal, so that a reconcile that compares its decision with the cached status writes nothing.
    assertThat(run.getStatus()).isEqualTo(status);
    assertThat(run.getMetadata().getManagedFields()).isNullOrEmpty();
  }

  @Test
  void aRunsOutputTailsAreSharedWithItsExecutions() {
    String tail = TAIL.substring(TAIL.length() - 1024);
    TaskRun run = run(finishedRun(new String(tail.toCharArray())));
    TaskExecution execution = execution(ExecutionPhase.Succeeded, new String(TAIL.toCharArray()));

    Slimming.run(run);
    Slimming.execution(execution, 1024);

    assertThat(run.getStatus().results().get(0).message())
        .isSameAs(execution.getStatus().message());
  }

  @Test
  void aFinishedExecutionKeepsOfItsOutputWhatItsRunShows() {
    TaskExecution full = execution(ExecutionPhase.Failed, TAIL);
    TaskExecution slim = execution(ExecutionPhase.Failed, TAIL);

    Slimming.execution(slim, 1024);

    assertThat(slim.getStatus().message()).hasSize(1024).isEqualTo(Texts.tail(TAIL, 1024));
    assertThat(Texts.tail(slim.getStatus().message(), 1024))
        .isEqualTo(Texts.tail(full.getStatus().message(), 1024));
    assertThat(slim.getStatus())
        .usingRecursiveComparison()
        .ignoringFields("message")
        .isEqualTo(full.getStatus());
    assertThat(slim.getSpec()).isEqualTo(full.getSpec());
  }

  @Test
  void anExecutionKeepsItsAnnotationsAndAnUnfinishedOneAllItsOutput() {
    TaskExecution execution = execution(ExecutionPhase.Running, TAIL);

    Slimming.execution(execution, 1024);

    // The dispatch update writes an execution's cached metadata back.
    assertThat(execution.getMetadata().getAnnotations()).containsKey(Slimming.LAST_APPLIED);
    assertThat(execution.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(execution.getStatus().message()).isEqualTo(TAIL);
  }

  @Test
  void valuesThatExecutionsRepeatAreKeptOnceWhileEachExecutionStaysEqualToItself() {
    TaskExecution first = Serialization.unmarshal(EXECUTION_JSON, TaskExecution.class);
    TaskExecution second = Serialization.unmarshal(EXECUTION_JSON, TaskExecution.class);
    TaskExecution untouched = Serialization.unmarshal(EXECUTION_JSON, TaskExecution.class);
    assertThat(first.getMetadata().getNamespace()).isNotSameAs(second.getMetadata().getNamespace());

    Slimming.execution(first, 1024);
    Slimming.execution(second, 1024);

    assertThat(first).isEqualTo(withoutManagedFields(untouched));
    assertThat(first.getMetadata().getNamespace()).isSameAs(second.getMetadata().getNamespace());
    assertThat(first.getMetadata().getCreationTimestamp())
        .isSameAs(second.getMetadata().getCreationTimestamp());
    assertThat(first.getMetadata().getLabels().get(DroverLabels.RUN))
        .isSameAs(second.getMetadata().getLabels().get(DroverLabels.RUN));
    assertThat(first.getMetadata().getOwnerReferences().get(0).getUid())
        .isSameAs(second.getMetadata().getOwnerReferences().get(0).getUid());
    assertThat(first.getSpec().run()).isSameAs(second.getSpec().run());
    assertThat(first.getSpec().env().get(0).value())
        .isSameAs(second.getSpec().env().get(0).value());
    assertThat(first.getStatus().completionTime()).isSameAs(second.getStatus().completionTime());
  }

  private static final String EXECUTION_JSON =
      """
      {"apiVersion": "drover.dev/v1alpha1", "kind": "TaskExecution",
       "metadata": {"name": "backup-db-1-1", "namespace": "ops", "uid": "e-1",
         "resourceVersion": "7", "creationTimestamp": "2026-11-28T03:00:00Z",
         "labels": {"drover.dev/run": "backup", "drover.dev/agent": "db-1"},
         "ownerReferences": [{"apiVersion": "drover.dev/v1alpha1", "kind": "TaskRun",
           "name": "backup", "uid": "r-1", "controller": true}]},
       "spec": {"run": "backup", "unit": "db-1", "agent": "db-1", "attempt": 1,
         "command": ["true"], "env": [{"name": "TIER", "value": "gold"}]},
       "status": {"phase": "Succeeded", "startTime": "2026-11-28T03:00:00Z",
         "completionTime": "2026-11-28T03:00:01Z", "exitCode": 0}}
      """;

  @Test
  void aStoreSlimsWhatItKeepsAndFitsOnlyASingleInformer() {
    SlimStore<Pod> store = new SlimStore<>(Slimming::withoutBookkeeping);
    Pod pod = new Pod();
    pod.setMetadata(bookkept().withName("p").withNamespace("ns").build());

    store.put(store.getKey(pod), pod);

    assertThat(store.get("ns/p").getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(store.get("ns/p").getMetadata().getAnnotations()).containsOnlyKeys("team");
    assertThat(SlimStore.fits(Set.of("JOSDK_ALL_NAMESPACES"))).isTrue();
    assertThat(SlimStore.fits(Set.of("a"))).isTrue();
    assertThat(SlimStore.fits(Set.of("a", "b"))).isFalse();
  }

  private static ObjectMetaBuilder bookkept() {
    Map<String, String> annotations = new HashMap<>();
    annotations.put(Slimming.LAST_APPLIED, "{\"apiVersion\":\"drover.dev/v1alpha1\"}");
    annotations.put("team", "dba");
    return new ObjectMetaBuilder()
        .withAnnotations(annotations)
        .withResourceVersion("42")
        .withManagedFields(
            new ArrayList<>(
                List.of(
                    new ManagedFieldsEntryBuilder()
                        .withManager("kubectl")
                        .withOperation("Update")
                        .build())));
  }

  private static TaskRun run(TaskRunStatus status) {
    TaskRun run = new TaskRun();
    run.setMetadata(
        bookkept()
            .withName("backup")
            .withNamespace("ops")
            .withLabels(new HashMap<>(Map.of("app", "backup")))
            .withOwnerReferences(
                new OwnerReferenceBuilder().withKind("ScheduledTask").withName("nightly").build())
            .build());
    run.setSpec(TaskRunSpec.builder().script(SCRIPT).build());
    run.setStatus(status);
    return run;
  }

  private static TaskRunStatus finishedRun(String message) {
    TaskRunStatus status =
        Serialization.unmarshal("{\"phase\":\"Succeeded\"}", TaskRunStatus.class);
    return status.withResults(
        new ArrayList<>(
            List.of(
                new TargetResult(
                    "db-1",
                    null,
                    "db-1",
                    null,
                    ExecutionPhase.Succeeded,
                    1,
                    0,
                    "Completed",
                    "2026-11-28T03:00:00Z",
                    "2026-11-28T03:00:40Z",
                    message))));
  }

  private static TaskExecution execution(ExecutionPhase phase, String message) {
    TaskExecution execution = new TaskExecution();
    ObjectMeta metadata =
        bookkept()
            .withName("backup-db-1-1")
            .withNamespace("ops")
            .withLabels(
                new HashMap<>(Map.of(DroverLabels.AGENT, "db-1", DroverLabels.RUN, "backup")))
            .build();
    execution.setMetadata(metadata);
    execution.setSpec(
        TaskExecutionSpec.builder()
            .run("backup")
            .unit("db-1")
            .agent("db-1")
            .attempt(1)
            .script(SCRIPT)
            .build());
    execution.setStatus(
        TaskExecutionStatus.of(phase, phase.isFinished() ? "NonZeroExit" : null, message)
            .startedAt("2026-11-28T03:00:00Z")
            .withExitCode(phase.isFinished() ? 1 : null)
            .withProcessId(4242L)
            .withResult("dumped 12 tables"));
    return execution;
  }

  private static TaskExecution withoutManagedFields(TaskExecution execution) {
    execution.getMetadata().setManagedFields(null);
    return execution;
  }
}
