package dev.drover.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drover.agent.DroverAgent;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Agents that die or restart mid-run, on the CRUD mock API. */
class AgentLossTest extends ClusterTest {
  @Override
  void startAgents() {}

  @Test
  void workOfAnAgentThatStopsRenewingItsLeaseIsLostAndRetriedElsewhere() {
    DroverAgent doomed = cluster.startAgent("doomed", Map.of("role", "scanner"), 2);
    cluster.awaitAgentReady("doomed", true);
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: survive}
        spec:
          selector: {matchLabels: {role: scanner}}
          dispatch: Single
          script: sleep 2
          retries: {limit: 1, backoffSeconds: 0}
        """);
    await()
        .atMost(DroverCluster.PATIENCE)
        .until(
            () ->
                cluster.executions("survive").stream()
                    .anyMatch(e -> e.phase() == ExecutionPhase.Running));
    cluster.startAgent("healthy", Map.of("role", "scanner"), 2);
    cluster.awaitAgentReady("healthy", true);

    doomed.halt();

    cluster.awaitAgentReady("doomed", false);
    TaskRun run = cluster.awaitPhase("survive", RunPhase.Succeeded);
    List<TaskExecution> attempts = cluster.executions("survive");
    assertThat(attempts)
        .extracting(e -> e.getSpec().attempt(), e -> e.getSpec().agent(), TaskExecution::phase)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(1, "doomed", ExecutionPhase.Lost),
            org.assertj.core.groups.Tuple.tuple(2, "healthy", ExecutionPhase.Succeeded));
    assertThat(attempts)
        .filteredOn(e -> e.phase() == ExecutionPhase.Lost)
        .singleElement()
        .satisfies(e -> assertThat(e.getStatus().reason()).isEqualTo("AgentLost"));
    assertThat(run.getStatus().results())
        .singleElement()
        .satisfies(r -> assertThat(r.attempts()).isEqualTo(2));
  }

  @Test
  void aRestartedAgentReportsInterruptedWorkLostInsteadOfRunningItAgain() {
    DroverAgent first = cluster.startAgent("phoenix", Map.of("role", "scanner"), 2);
    cluster.awaitAgentReady("phoenix", true);
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: interrupted}
        spec:
          selector: {matchLabels: {role: scanner}}
          dispatch: Single
          command: [sleep, "63"]
        """);
    await()
        .atMost(DroverCluster.PATIENCE)
        .until(
            () ->
                cluster.executions("interrupted").stream()
                    .anyMatch(
                        e ->
                            e.phase() == ExecutionPhase.Running
                                && e.getStatus().processId() != null));
    long pid = cluster.executions("interrupted").get(0).getStatus().processId();

    first.halt();
    cluster.startAgent("phoenix", Map.of("role", "scanner"), 2);

    TaskRun run = cluster.awaitPhase("interrupted", RunPhase.Failed);
    assertThat(cluster.executions("interrupted"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.phase()).isEqualTo(ExecutionPhase.Lost);
              assertThat(e.getStatus().reason()).isEqualTo("AgentRestarted");
            });
    assertThat(run.getStatus().results())
        .singleElement()
        .satisfies(r -> assertThat(r.phase()).isEqualTo(ExecutionPhase.Lost));
    await().atMost(DroverCluster.PATIENCE).until(() -> ProcessHandle.of(pid).isEmpty());
  }

  @Test
  void aRestartedAgentDoesNotRunFinishedWorkAgain() {
    DroverAgent first = cluster.startAgent("steady", Map.of("role", "scanner"), 2);
    cluster.awaitAgentReady("steady", true);
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: finished}
        spec:
          selector: {matchLabels: {role: scanner}}
          script: echo once
        """);
    cluster.awaitPhase("finished", RunPhase.Succeeded);
    String completed = cluster.executions("finished").get(0).getStatus().completionTime();
    String version = cluster.executions("finished").get(0).getMetadata().getResourceVersion();

    first.halt();
    cluster.startAgent("steady", Map.of("role", "scanner"), 2);
    cluster.awaitAgentReady("steady", true);

    assertThat(cluster.executions("finished"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getStatus().completionTime()).isEqualTo(completed);
              assertThat(e.getMetadata().getResourceVersion()).isEqualTo(version);
            });
  }
}
