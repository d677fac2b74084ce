package dev.drover.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bad input ends in a clear status reason and an Event. Input the API server's schema rejects
 * (unknown enum values, negative timeouts) is covered by the real-API-server tier: the mock does
 * not validate.
 */
class BadInputTest extends ClusterTest {
  KubernetesMockServer server;

  @Override
  void startAgents() {
    cluster.startScanners(1, 2);
  }

  @Test
  void aRunWithoutCommandIsInvalid() {
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: empty}
        spec:
          selector: {matchLabels: {role: scanner}}
        """);

    TaskRun run = cluster.awaitPhase("empty", RunPhase.Failed);

    assertThat(run.getStatus().reason()).isEqualTo("InvalidSpec");
    assertThat(run.getStatus().message())
        .isEqualTo("invalid spec: either command or script is required");
    assertThat(cluster.executions("empty")).isEmpty();
    assertThat(cluster.eventReasons("empty")).containsExactly("InvalidSpec");
  }

  @Test
  void aSelectorThatMatchesNoAgentEndsWithNoTargets() {
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: nobody}
        spec:
          selector: {matchLabels: {role: ghost}}
          command: ["true"]
          targetWaitSeconds: 0
        """);

    TaskRun run = cluster.awaitPhase("nobody", RunPhase.Failed);

    assertThat(run.getStatus().reason()).isEqualTo("NoTargets");
    assertThat(run.getStatus().message()).isEqualTo("no agent matches the selector role=ghost");
    assertThat(cluster.eventReasons("nobody")).containsExactly("NoTargets");
  }

  @Test
  void agentsThatDoNotServeTheNamespaceAreNoTargets() {
    cluster.startAgent("prod-only", Map.of("role", "prod"), 1, "prod");
    cluster.awaitAgentReady("prod-only", true);
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: wrong-namespace}
        spec:
          selector: {matchLabels: {role: prod}}
          command: ["true"]
          targetWaitSeconds: 0
        """);

    TaskRun run = cluster.awaitPhase("wrong-namespace", RunPhase.Failed);

    assertThat(run.getStatus().message())
        .isEqualTo("1 agent(s) match the selector but none serves namespace ops");
  }

  @Test
  void aRunAppliedBeforeItsAgentsWaitsPendingAndRunsOnceTheyAreReady() {
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: early}
        spec:
          selector: {matchLabels: {role: latecomer}}
          command: ["true"]
        """);
    await()
        .untilAsserted(
            () -> {
              TaskRun waiting = cluster.get("early");
              assertThat(waiting.getStatus()).isNotNull();
              assertThat(waiting.getStatus().phase()).isEqualTo(RunPhase.Pending);
              assertThat(waiting.getStatus().reason()).isEqualTo("WaitingForTargets");
            });

    cluster.startAgent("latecomer", Map.of("role", "latecomer"), 1, "ops");

    TaskRun run = cluster.awaitPhase("early", RunPhase.Succeeded);
    assertThat(run.getStatus().progress()).isEqualTo("1/1");
    assertThat(cluster.eventReasons("early")).contains("WaitingForTargets", "Succeeded");
  }

  @Test
  void aCommandThatDoesNotExistFailsWithItsReason() {
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: typo}
        spec:
          selector: {matchLabels: {role: scanner}}
          command: [/usr/bin/no-such-tool, --all]
        """);

    TaskRun run = cluster.awaitPhase("typo", RunPhase.Failed);

    assertThat(run.getStatus().results())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.exitCode()).isEqualTo(127);
              assertThat(r.message())
                  .contains("/usr/bin/no-such-tool")
                  .contains("No such file or directory");
            });
    assertThat(cluster.eventReasons("typo")).contains("Failed");
  }

  @Test
  void aHundredMegabytesOfOutputKeepOnlyABoundedTail() {
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: chatty}
        spec:
          selector: {matchLabels: {role: scanner}}
          script: 'head -c 100000000 /dev/zero | tr "\\0" x; echo; echo the-end'
        """);

    TaskRun run = cluster.awaitPhase("chatty", RunPhase.Succeeded);

    assertThat(cluster.executions("chatty"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.phase()).isEqualTo(ExecutionPhase.Succeeded);
              assertThat(e.getStatus().message()).hasSize(4096).endsWith("x\nthe-end\n");
            });
    assertThat(run.getStatus().results())
        .singleElement()
        .satisfies(r -> assertThat(r.message()).hasSize(1024));
  }

  @Test
  void aMalformedMaxFailuresIsInvalid() {
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: odd-bound}
        spec:
          selector: {matchLabels: {role: scanner}}
          command: ["true"]
          maxFailures: "ten"
        """);

    TaskRun run = cluster.awaitPhase("odd-bound", RunPhase.Failed);

    assertThat(run.getStatus().message())
        .contains("maxFailures must be a count such as 3 or a percentage such as 10%, got 'ten'");
  }

  @Test
  void executionsTheApiServerRefusesAreReportedOnTheRun() {
    server
        .expect()
        .post()
        .withPath("/apis/drover.dev/v1alpha1/namespaces/ops/taskexecutions")
        .andReturn(
            403,
            new StatusBuilder()
                .withStatus("Failure")
                .withCode(403)
                .withReason("Forbidden")
                .withMessage(
                    "taskexecutions.drover.dev \"refused-single-1\" is forbidden: cannot set"
                        + " blockOwnerDeletion")
                .build())
        .always();
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: refused}
        spec:
          selector: {matchLabels: {role: scanner}}
          dispatch: Single
          command: ["true"]
        """);

    await()
        .atMost(DroverCluster.PATIENCE)
        .until(() -> cluster.eventReasons("refused").contains("CreateRefused"));
    assertThat(client.v1().events().inNamespace(DroverCluster.NAMESPACE).list().getItems())
        .filteredOn(e -> e.getReason().equals("CreateRefused"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .isEqualTo(
                        "could not create execution refused-single-1: taskexecutions.drover.dev"
                            + " \"refused-single-1\" is forbidden: cannot set blockOwnerDeletion"));
  }
}
