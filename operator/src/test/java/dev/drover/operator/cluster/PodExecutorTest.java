package dev.drover.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drover.api.DroverLabels;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Executor Pod on the CRUD mock API: the operator is real, and the test plays scheduler and
 * kubelet, binding each pod to a node and writing the states a kubelet would report.
 */
class PodExecutorTest extends ClusterTest {
  KubernetesMockServer server;

  @Override
  void startAgents() {
    for (String name : List.of("db-1", "db-2", "db-3", "web-1")) {
      client
          .nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withLabels(
                      Map.of(
                          "role",
                          name.startsWith("db") ? "db" : "web",
                          "kubernetes.io/hostname",
                          name))
                  .endMetadata()
                  .build())
          .create();
    }
  }

  private List<Pod> pods(String run) {
    return client
        .pods()
        .inNamespace(DroverCluster.NAMESPACE)
        .withLabel(DroverLabels.RUN, run)
        .list()
        .getItems();
  }

  private Pod awaitPod(String name) {
    await()
        .atMost(DroverCluster.PATIENCE)
        .until(
            () -> client.pods().inNamespace(DroverCluster.NAMESPACE).withName(name).get() != null);
    return client.pods().inNamespace(DroverCluster.NAMESPACE).withName(name).get();
  }

  /**
   * What the scheduler and a kubelet would write: the binding, then the pod's phase and container
   * state.
   */
  private void kubelet(String pod, String node, String phase, ContainerStateBuilder state) {
    var resource = client.pods().inNamespace(DroverCluster.NAMESPACE).withName(pod);
    resource.edit(
        p -> {
          p.getSpec().setNodeName(node);
          return p;
        });
    resource.editStatus(
        p -> {
          p.setStatus(
              new PodStatusBuilder()
                  .withPhase(phase)
                  .withContainerStatuses(
                      new ContainerStatusBuilder()
                          .withName("task")
                          .withState(state.build())
                          .build())
                  .build());
          return p;
        });
  }

  private static ContainerStateBuilder running() {
    return new ContainerStateBuilder()
        .withNewRunning()
        .withStartedAt("2026-11-27T10:00:01Z")
        .endRunning();
  }

  private static ContainerStateBuilder exited(int code, String reason, String message) {
    return new ContainerStateBuilder()
        .withNewTerminated()
        .withExitCode(code)
        .withReason(reason)
        .withMessage(message)
        .withStartedAt("2026-11-27T10:00:01Z")
        .withFinishedAt("2026-11-27T10:00:05Z")
        .endTerminated();
  }

  @Test
  void broadcastRunsOnePodPinnedToEachMatchingNodeAndMirrorsItsState() {
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: dump}
        spec:
          selector: {matchLabels: {role: db}}
          dispatch: Broadcast
          executor: Pod
          pod: {image: "postgres:16"}
          script: pg_dumpall > /backup/all.sql
        """);

    await().atMost(DroverCluster.PATIENCE).until(() -> pods("dump").size() == 3);
    assertThat(pods("dump"))
        .extracting(
            p ->
                p.getSpec()
                    .getAffinity()
                    .getNodeAffinity()
                    .getRequiredDuringSchedulingIgnoredDuringExecution()
                    .getNodeSelectorTerms()
                    .get(0)
                    .getMatchExpressions()
                    .get(0)
                    .getValues()
                    .get(0))
        .containsExactlyInAnyOrder("db-1", "db-2", "db-3");
    for (String node : List.of("db-1", "db-2", "db-3")) {
      kubelet("dump-" + node + "-1", node, "Running", running());
    }
    await()
        .atMost(DroverCluster.PATIENCE)
        .until(() -> cluster.get("dump").getStatus().targets().running() == 3);
    for (String node : List.of("db-1", "db-2", "db-3")) {
      kubelet("dump-" + node + "-1", node, "Succeeded", exited(0, "Completed", null));
    }

    TaskRun run = cluster.awaitPhase("dump", RunPhase.Succeeded);
    assertThat(run.getStatus().results())
        .extracting(r -> r.target(), r -> r.node(), r -> r.phase(), r -> r.exitCode())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("db-1", "db-1", ExecutionPhase.Succeeded, 0),
            org.assertj.core.groups.Tuple.tuple("db-2", "db-2", ExecutionPhase.Succeeded, 0),
            org.assertj.core.groups.Tuple.tuple("db-3", "db-3", ExecutionPhase.Succeeded, 0));
  }

  @Test
  void aFailedPodIsRetriedInANewPodAwayFromItsNodeAndItsLogTailIsKept() {
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: vacuum}
        spec:
          selector: {matchLabels: {role: db}}
          dispatch: Single
          executor: Pod
          pod: {image: "postgres:16"}
          command: [vacuumdb, --all]
          retries: {limit: 1, backoffSeconds: 0}
        """);

    awaitPod("vacuum-single-1");
    kubelet(
        "vacuum-single-1",
        "db-2",
        "Failed",
        exited(1, "Error", "vacuumdb: error: could not connect\n"));
    Pod retry = awaitPod("vacuum-single-2");

    assertThat(
            retry
                .getSpec()
                .getAffinity()
                .getNodeAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution()
                .get(0)
                .getPreference()
                .getMatchExpressions()
                .get(0)
                .getValues())
        .containsExactly("db-2");
    kubelet("vacuum-single-2", "db-1", "Succeeded", exited(0, "Completed", null));
    TaskRun run = cluster.awaitPhase("vacuum", RunPhase.Succeeded);
    assertThat(run.getStatus().results())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.attempts()).isEqualTo(2);
              assertThat(r.node()).isEqualTo("db-1");
            });
    assertThat(cluster.executions("vacuum"))
        .filteredOn(e -> e.getSpec().attempt() == 1)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getStatus().exitCode()).isEqualTo(1);
              assertThat(e.getStatus().message()).isEqualTo("vacuumdb: error: could not connect\n");
            });
    assertThat(cluster.eventReasons("vacuum")).contains("Retrying");
  }

  @Test
  void cancelDeletesTheRunningPods() {
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: scan}
        spec:
          selector: {matchLabels: {role: db}}
          executor: Pod
          pod: {image: "scanner:1"}
          command: [scan]
        """);
    await().atMost(DroverCluster.PATIENCE).until(() -> pods("scan").size() == 3);
    for (String node : List.of("db-1", "db-2", "db-3")) {
      kubelet("scan-" + node + "-1", node, "Running", running());
    }
    await()
        .atMost(DroverCluster.PATIENCE)
        .until(() -> cluster.get("scan").getStatus().targets().running() == 3);

    client
        .resources(TaskRun.class)
        .inNamespace(DroverCluster.NAMESPACE)
        .withName("scan")
        .edit(
            r -> {
              r.setSpec(r.getSpec().toBuilder().cancel(true).build());
              return r;
            });

    TaskRun run = cluster.awaitPhase("scan", RunPhase.Cancelled);
    assertThat(run.getStatus().targets().cancelled()).isEqualTo(3);
    await().atMost(DroverCluster.PATIENCE).until(() -> pods("scan").isEmpty());
  }

  @Test
  void aPodNeverScheduledFailsWithItsReasonAfterTheStartTimeout() {
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: stuck}
        spec:
          selector: {matchLabels: {role: db}}
          dispatch: Single
          executor: Pod
          pod: {image: "postgres:16", startTimeoutSeconds: 2}
          command: [pg_isready]
        """);

    TaskRun run = cluster.awaitPhase("stuck", RunPhase.Failed);

    assertThat(run.getStatus().reason()).isEqualTo("TargetsFailed");
    assertThat(run.getStatus().results())
        .singleElement()
        .satisfies(
            r -> assertThat(r.message()).isEqualTo("pod did not start within 2s: not scheduled"));
    assertThat(cluster.executions("stuck"))
        .singleElement()
        .satisfies(e -> assertThat(e.getStatus().reason()).isEqualTo("Unschedulable"));
    await().atMost(DroverCluster.PATIENCE).until(() -> pods("stuck").isEmpty());
  }

  @Test
  void aPodTheApiServerRefusesFailsItsAttemptWithTheRefusalInsteadOfRetryingForever() {
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/ops/pods")
        .andReturn(
            403,
            new StatusBuilder()
                .withStatus("Failure")
                .withCode(403)
                .withReason("Forbidden")
                .withMessage(
                    "pods \"locked-single-1\" is forbidden: violates PodSecurity"
                        + " \"restricted:latest\": runAsNonRoot != true")
                .build())
        .always();
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: locked}
        spec:
          selector: {matchLabels: {role: db}}
          dispatch: Single
          executor: Pod
          pod: {image: "postgres:16"}
          command: [pg_isready]
          retries: {limit: 1, backoffSeconds: 0}
        """);

    TaskRun run = cluster.awaitPhase("locked", RunPhase.Failed);

    assertThat(run.getStatus().results())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.attempts()).isEqualTo(2);
              assertThat(r.reason()).isEqualTo("PodRejected");
              assertThat(r.message())
                  .isEqualTo(
                      "pods \"locked-single-1\" is forbidden: violates PodSecurity"
                          + " \"restricted:latest\": runAsNonRoot != true");
            });
    assertThat(pods("locked")).isEmpty();
  }
}
