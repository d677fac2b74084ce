package dev.drover.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drover.api.DroverLabels;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.schedule.ScheduledTask;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ScheduledTasks firing real runs on the CRUD mock API, on the wall clock (second-level schedules).
 */
class ScheduleTest extends ClusterTest {
  private static final String TEMPLATE =
      """
        runTemplate:
          metadata: {labels: {team: ops}}
          spec:
            selector: {matchLabels: {role: scanner}}
            dispatch: Single
            script: %s
      """;

  private ScheduledTask schedule(String name, String trigger, String script) {
    return cluster.schedule(
        """
        apiVersion: drover.dev/v1alpha1
        kind: ScheduledTask
        metadata: {name: %s}
        spec:
        %s
        %s\
        """
            .formatted(name, trigger, TEMPLATE.formatted(script)));
  }

  private static Instant due(HasMetadata child) {
    return Instant.parse(child.getMetadata().getAnnotations().get(DroverLabels.SCHEDULED_TIME));
  }

  /** The TaskFlows a ScheduledTask has created, oldest due time first. */
  private List<TaskFlow> scheduledFlows(String taskName) {
    return client
        .resources(TaskFlow.class)
        .inNamespace(DroverCluster.NAMESPACE)
        .withLabel(DroverLabels.SCHEDULED_TASK, taskName)
        .list()
        .getItems()
        .stream()
        .sorted(Comparator.comparing(ScheduleTest::due))
        .toList();
  }

  @Test
  void aSecondsScheduleFiresRunsAtItsDueTimes() {
    schedule("ticker", "  schedule: \"*/2 * * * * *\"", "echo tick");

    await().atMost(DroverCluster.PATIENCE).until(() -> cluster.scheduledRuns("ticker").size() >= 3);

    List<TaskRun> runs = cluster.scheduledRuns("ticker");
    for (int i = 1; i < runs.size(); i++) {
      assertThat(Duration.between(due(runs.get(i - 1)), due(runs.get(i))))
          .isEqualTo(Duration.ofSeconds(2));
    }
    assertThat(runs.get(0).getMetadata().getLabels()).containsEntry("team", "ops");
    assertThat(runs.get(0).getMetadata().getName())
        .isEqualTo("ticker-" + due(runs.get(0)).getEpochSecond());
    cluster.awaitPhase(runs.get(0).getMetadata().getName(), RunPhase.Succeeded);
    await()
        .atMost(DroverCluster.PATIENCE)
        .untilAsserted(
            () -> {
              ScheduledTask task = cluster.scheduledTask("ticker");
              assertThat(task.getStatus().lastScheduleTime()).isNotNull();
              assertThat(task.getStatus().lastSuccessfulTime()).isNotNull();
              assertThat(Instant.parse(task.getStatus().nextScheduleTime()))
                  .isAfter(Instant.parse(task.getStatus().lastScheduleTime()));
            });
  }

  @Test
  void forbidSkipsDueTimesWhileARunIsStillActive() {
    schedule("exclusive", "  schedule: \"* * * * * *\"\n  concurrencyPolicy: Forbid", "sleep 3");

    await()
        .atMost(DroverCluster.PATIENCE)
        .until(
            () -> {
              ScheduledTask task = cluster.scheduledTask("exclusive");
              return task.getStatus() != null
                  && task.getStatus().missed() != null
                  && task.getStatus().missed() >= 2;
            });

    List<TaskRun> runs = cluster.scheduledRuns("exclusive");
    assertThat(
            runs.stream().filter(r -> r.getStatus() == null || !r.getStatus().phase().isFinished()))
        .hasSizeLessThanOrEqualTo(1);
    assertThat(cluster.eventReasons("exclusive")).contains("RunSkipped");
  }

  @Test
  void replaceCancelsTheActiveRunWhenTheNextOneIsDue() {
    schedule(
        "replacing", "  schedule: \"*/3 * * * * *\"\n  concurrencyPolicy: Replace", "sleep 30");

    await()
        .atMost(DroverCluster.PATIENCE)
        .until(() -> cluster.scheduledRuns("replacing").size() >= 2);

    TaskRun first = cluster.scheduledRuns("replacing").get(0);
    assertThat(first.getSpec().cancelRequested()).isTrue();
    cluster.awaitPhase(first.getMetadata().getName(), RunPhase.Cancelled);
  }

  @Test
  void eachRunNowTokenFiresOneRunEvenWhileSuspended() {
    schedule("by-hand", "  schedule: \"0 0 1 1 *\"\n  suspend: true", "echo manual");

    for (String token : List.of("first", "second")) {
      client
          .resources(ScheduledTask.class)
          .inNamespace(DroverCluster.NAMESPACE)
          .withName("by-hand")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"metadata\":{\"annotations\":{\"drover.dev/run-now\":\"" + token + "\"}}}");
      await()
          .atMost(DroverCluster.PATIENCE)
          .until(
              () -> token.equals(cluster.scheduledTask("by-hand").getStatus().lastManualToken()));
    }
    client
        .resources(ScheduledTask.class)
        .inNamespace(DroverCluster.NAMESPACE)
        .withName("by-hand")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}");

    await()
        .atMost(DroverCluster.PATIENCE)
        .until(() -> cluster.scheduledTask("by-hand").getMetadata().getLabels() != null);
    assertThat(cluster.scheduledRuns("by-hand"))
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.getMetadata().getName()).startsWith("by-hand-manual-"));
  }

  @Test
  void finishedRunsBeyondTheHistoryLimitAreDeleted() {
    ScheduledTask task =
        schedule("chatty", "  schedule: \"* * * * * *\"\n  successfulRunsHistoryLimit: 2", "true");
    Instant created = Instant.parse(task.getMetadata().getCreationTimestamp());
    await()
        .atMost(DroverCluster.PATIENCE)
        .untilAsserted(
            () ->
                assertThat(cluster.scheduledTask("chatty").getStatus())
                    .isNotNull()
                    .satisfies(status -> assertThat(status.lastScheduleTime()).isNotNull())
                    .satisfies(
                        status ->
                            assertThat(Instant.parse(status.lastScheduleTime()))
                                .isAfter(created.plusSeconds(5))));

    client
        .resources(ScheduledTask.class)
        .inNamespace(DroverCluster.NAMESPACE)
        .withName("chatty")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":true}}");

    await()
        .atMost(DroverCluster.PATIENCE)
        .untilAsserted(
            () ->
                assertThat(cluster.scheduledRuns("chatty"))
                    .hasSize(2)
                    .allSatisfy(
                        r -> assertThat(r.getStatus().phase()).isEqualTo(RunPhase.Succeeded)));
  }

  @Test
  void anOperatorDownForSeveralDueTimesFiresOnceOnReturn() {
    schedule("patient", "  schedule: \"* * * * * *\"\n  startingDeadlineSeconds: 30", "true");
    await()
        .atMost(DroverCluster.PATIENCE)
        .until(() -> cluster.scheduledRuns("patient").size() >= 1);

    cluster.stopOperator();
    Instant stopped = Instant.now();
    int before = cluster.scheduledRuns("patient").size();
    long missedBefore = cluster.scheduledTask("patient").getStatus().missed();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Instant.now().isAfter(stopped.plusMillis(3500)));
    cluster.startOperator();

    await()
        .atMost(DroverCluster.PATIENCE)
        .untilAsserted(
            () ->
                assertThat(cluster.scheduledTask("patient").getStatus().missed())
                    .isGreaterThanOrEqualTo(missedBefore + 2));
    List<TaskRun> runs = cluster.scheduledRuns("patient");
    List<TaskRun> duringOutage =
        runs.stream()
            .filter(r -> due(r).isAfter(stopped) && due(r).isBefore(stopped.plusMillis(3500)))
            .toList();
    assertThat(duringOutage).as("runs for due times inside the outage").hasSizeLessThanOrEqualTo(1);
    assertThat(runs.size()).isGreaterThan(before);
    assertThat(cluster.eventReasons("patient")).contains("MissedRuns");
  }

  @Test
  void aRunNameHeldByADeletedTasksLeftoverIsWaitedForNotTakenAsItsOwn() {
    Instant at = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
    TaskRun leftover =
        client
            .getKubernetesSerialization()
            .unmarshal(
                """
                apiVersion: drover.dev/v1alpha1
                kind: TaskRun
                metadata:
                  name: nightly-%d
                  ownerReferences: [{apiVersion: drover.dev/v1alpha1, kind: ScheduledTask, name: nightly, uid: uid-of-the-deleted-task, controller: true}]
                spec:
                  selector: {matchLabels: {role: nobody}}
                  command: ["true"]
                """
                    .formatted(at.getEpochSecond()),
                TaskRun.class);
    leftover.getMetadata().setNamespace(DroverCluster.NAMESPACE);
    TaskRun stale = client.resource(leftover).create();

    ScheduledTask task = schedule("nightly", "  at: \"" + at + "\"", "echo once");

    await()
        .atMost(DroverCluster.PATIENCE)
        .until(() -> cluster.eventReasons("nightly").contains("NameTaken"));
    client.resource(stale).delete();
    await()
        .atMost(DroverCluster.PATIENCE)
        .until(() -> cluster.scheduledRuns("nightly").size() == 1);
    assertThat(
            cluster
                .scheduledRuns("nightly")
                .get(0)
                .getMetadata()
                .getOwnerReferences()
                .get(0)
                .getUid())
        .isEqualTo(task.getMetadata().getUid());
  }

  @Test
  void aFlowTemplateStartsATaskFlowAtEachDueTimeAndReplaceCancelsTheActiveOne() {
    ScheduledTask task =
        cluster.schedule(
            """
            apiVersion: drover.dev/v1alpha1
            kind: ScheduledTask
            metadata: {name: pipeline}
            spec:
              interval: 2s
              concurrencyPolicy: Replace
              flowTemplate:
                metadata: {labels: {team: ops}}
                spec:
                  tasks:
                    - name: scan
                      spec:
                        selector: {matchLabels: {role: scanner}}
                        dispatch: Single
                        script: sleep 30
            """);

    await().atMost(DroverCluster.PATIENCE).until(() -> scheduledFlows("pipeline").size() >= 2);

    List<TaskFlow> flows = scheduledFlows("pipeline");
    assertThat(Duration.between(due(flows.get(0)), due(flows.get(1))))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(flows)
        .allSatisfy(
            flow -> {
              assertThat(flow.getMetadata().getName())
                  .isEqualTo("pipeline-" + due(flow).getEpochSecond());
              assertThat(flow.getMetadata().getLabels())
                  .containsEntry(DroverLabels.SCHEDULED_TASK, "pipeline")
                  .containsEntry("team", "ops");
              assertThat(flow.getMetadata().getOwnerReferences())
                  .singleElement()
                  .satisfies(
                      owner -> {
                        assertThat(owner.getKind()).isEqualTo("ScheduledTask");
                        assertThat(owner.getUid()).isEqualTo(task.getMetadata().getUid());
                        assertThat(owner.getController()).isTrue();
                      });
              assertThat(flow.getSpec().tasks()).singleElement();
            });
    String first = flows.get(0).getMetadata().getName();
    await()
        .atMost(DroverCluster.PATIENCE)
        .untilAsserted(
            () -> {
              TaskFlow replaced =
                  client
                      .resources(TaskFlow.class)
                      .inNamespace(DroverCluster.NAMESPACE)
                      .withName(first)
                      .get();
              assertThat(replaced.getSpec().cancelRequested()).isTrue();
              assertThat(cluster.scheduledTask("pipeline").getStatus().active())
                  .isNotEmpty()
                  .allSatisfy(name -> assertThat(name).startsWith("pipeline-"));
            });
  }
}
