package dev.drover.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drover.api.DroverLabels;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionSpec;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retries, timeouts and cancellation, on the CRUD mock API with real processes. */
class LifecycleTest extends ClusterTest {

  @Test
  void aFailingCommandWithTwoRetriesFailsAfterThreeAttemptsWithExitCodeAndOutput() {
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: flaky}
        spec:
          selector: {matchLabels: {role: scanner}}
          dispatch: Single
          script: 'echo "attempt $DROVER_ATTEMPT: connection refused"; exit 2'
          retries: {limit: 2, backoffSeconds: 1, backoffFactor: 1}
        """);

    TaskRun run = cluster.awaitPhase("flaky", RunPhase.Failed);

    assertThat(run.getStatus().reason()).isEqualTo("TargetsFailed");
    assertThat(run.getStatus().results())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.attempts()).isEqualTo(3);
              assertThat(r.exitCode()).isEqualTo(2);
              assertThat(r.message()).isEqualTo("attempt 3: connection refused\n");
            });
    List<TaskExecution> attempts = cluster.executions("flaky");
    assertThat(attempts).extracting(e -> e.getSpec().attempt()).containsExactlyInAnyOrder(1, 2, 3);
    assertThat(attempts).allSatisfy(e -> assertThat(e.phase()).isEqualTo(ExecutionPhase.Failed));
    assertThat(cluster.eventReasons("flaky")).contains("Retrying", "Failed");
    assertThat(run.getStatus().conditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Failed");
              assertThat(c.getStatus()).isEqualTo("True");
            });
  }

  @Test
  void aRetryThatSucceedsMakesTheRunSucceed() {
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: second-time-lucky}
        spec:
          selector: {matchLabels: {role: scanner}}
          dispatch: Single
          script: 'test "$DROVER_ATTEMPT" -ge 2'
          retries: {limit: 3, backoffSeconds: 0}
        """);

    TaskRun run = cluster.awaitPhase("second-time-lucky", RunPhase.Succeeded);

    assertThat(run.getStatus().results())
        .singleElement()
        .satisfies(r -> assertThat(r.attempts()).isEqualTo(2));
  }

  @Test
  void aTimeoutKillsTheCommandAndEndsTimedOut() {
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: slow}
        spec:
          selector: {matchLabels: {zone: z1}}
          dispatch: Single
          command: [sleep, "61"]
          timeoutSeconds: 2
        """);

    TaskRun run = cluster.awaitPhase("slow", RunPhase.Failed);

    assertThat(run.getStatus().results())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.phase()).isEqualTo(ExecutionPhase.TimedOut);
              assertThat(r.message()).startsWith("killed after 2s");
            });
    assertThat(cluster.eventReasons("slow")).contains("TimedOut");
    assertThat(sleepers("sleep 61")).isEmpty();
  }

  @Test
  void cancellingARunStopsItsRunningCommandsAndStartsNoMore() {
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: long}
        spec:
          selector: {matchLabels: {role: scanner}}
          dispatch: Distribute
          items: [a, b, c, d, e, f]
          parallelism: 2
          command: [sleep, "62"]
        """);
    await().atMost(DroverCluster.PATIENCE).until(() -> sleepers("sleep 62").size() == 2);

    client
        .resources(TaskRun.class)
        .inNamespace(DroverCluster.NAMESPACE)
        .withName("long")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"cancel\":true}}");

    TaskRun run = cluster.awaitPhase("long", RunPhase.Cancelled);
    assertThat(run.getStatus().targets().cancelled()).isEqualTo(6);
    assertThat(cluster.executions("long")).filteredOn(TaskExecution::dispatched).hasSize(2);
    await().atMost(DroverCluster.PATIENCE).until(() -> sleepers("sleep 62").isEmpty());
  }

  @Test
  void parallelismCapsHowManyTargetsRunAtOnce(@TempDir Path dir) {
    // Each item holds a directory lock while it runs: an overlap makes mkdir fail and the item
    // fail.
    String lock = dir.resolve("lock").toString();
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: rolling}
        spec:
          selector: {matchLabels: {role: scanner}}
          dispatch: Distribute
          items: [a, b, c, d, e]
          parallelism: 1
          script: 'mkdir "$LOCK" || exit 9; sleep 0.3; rmdir "$LOCK"'
          env: [{name: LOCK, value: "%s"}]
        """
            .formatted(lock));

    TaskRun run = cluster.awaitPhase("rolling", RunPhase.Succeeded);

    assertThat(run.getStatus().targets().succeeded()).isEqualTo(5);
  }

  static List<ProcessHandle> sleepers(String commandLine) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.endsWith(commandLine)).orElse(false))
        .toList();
  }

  @Test
  void aRunAppliedAgainWaitsForTheDeletedRunsExecutionsInsteadOfAdoptingThem() {
    TaskExecution leftover = new TaskExecution();
    leftover.setMetadata(
        new ObjectMetaBuilder()
            .withName("again-single-1")
            .withNamespace(DroverCluster.NAMESPACE)
            .withLabels(
                Map.of(
                    DroverLabels.RUN,
                    "again",
                    DroverLabels.UNIT,
                    "single",
                    DroverLabels.ATTEMPT,
                    "1"))
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("drover.dev/v1alpha1")
                    .withKind("TaskRun")
                    .withName("again")
                    .withUid("uid-of-the-deleted-run")
                    .withController(true)
                    .build())
            .build());
    leftover.setSpec(
        TaskExecutionSpec.builder()
            .run("again")
            .unit("single")
            .attempt(1)
            .command(List.of("true"))
            .build());
    client.resource(leftover).create();

    TaskRun run =
        cluster.apply(
            """
            apiVersion: drover.dev/v1alpha1
            kind: TaskRun
            metadata: {name: again}
            spec:
              selector: {matchLabels: {role: scanner}}
              dispatch: Single
              command: ["true"]
            """);

    await()
        .atMost(DroverCluster.PATIENCE)
        .until(() -> cluster.eventReasons("again").contains("NameTaken"));
    assertThat(cluster.get("again").getStatus().phase()).isEqualTo(RunPhase.Running);
    client.resource(leftover).delete();
    cluster.awaitPhase("again", RunPhase.Succeeded);
    assertThat(cluster.executions("again"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getMetadata().getOwnerReferences().get(0).getUid())
                    .isEqualTo(run.getMetadata().getUid()));
  }
}
