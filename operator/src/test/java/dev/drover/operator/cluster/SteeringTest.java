package dev.drover.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drover.api.DroverLabels;
import dev.drover.api.agent.Agent;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operations person does to runs and agents: retry failed targets, cordon an agent. */
class SteeringTest extends ClusterTest {
  @TempDir Path dir;

  @Test
  void aRetryOfAFinishedRunRunsOnlyTheItemsThatFailedAndTheRunSucceeds() throws IOException {
    Path ledger = dir.resolve("ledger");
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: flaky}
        spec:
          selector: {matchLabels: {role: scanner}}
          dispatch: Distribute
          items: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]
          script: |
            case $DROVER_ITEM in 3|5|7)
              if [ ! -e %1$s/$DROVER_ITEM ]; then touch %1$s/$DROVER_ITEM; exit 1; fi;;
            esac
            echo $DROVER_ITEM >> %2$s
        """
            .formatted(dir, ledger));
    TaskRun failed = cluster.awaitPhase("flaky", RunPhase.Failed);
    assertThat(failed.getStatus().targets().failed()).isEqualTo(3);

    failed.getMetadata().setAnnotations(Map.of(DroverLabels.RETRY, "after-the-fix"));
    client.resource(failed).update();

    TaskRun run = cluster.awaitPhase("flaky", RunPhase.Succeeded);
    assertThat(run.getStatus().retries()).isEqualTo(1);
    assertThat(run.getStatus().retryToken()).isEqualTo("after-the-fix");
    assertThat(Files.readAllLines(ledger))
        .containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
    Map<String, Integer> attemptsByItem =
        cluster.executions("flaky").stream()
            .collect(
                Collectors.toMap(e -> e.getSpec().item(), e -> e.getSpec().attempt(), Math::max));
    assertThat(attemptsByItem)
        .containsEntry("3", 2)
        .containsEntry("5", 2)
        .containsEntry("7", 2)
        .containsEntry("1", 1)
        .containsEntry("10", 1);
    assertThat(cluster.executions("flaky")).hasSize(13);
    assertThat(cluster.eventReasons("flaky")).contains("RetryRequested");
  }

  @Test
  void aBroadcastStartedWhileAnAgentIsCordonedSkipsItAndSucceedsOnTheOthers() {
    client.resources(Agent.class).withName("scanner-3").edit(a -> withUnschedulable(a, true));

    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: hello}
        spec:
          selector: {matchLabels: {role: scanner}}
          dispatch: Broadcast
          command: [echo, hello]
        """);

    TaskRun run = cluster.awaitPhase("hello", RunPhase.Succeeded);
    assertThat(cluster.executions("hello"))
        .extracting(e -> e.getSpec().agent())
        .containsExactlyInAnyOrder("scanner-1", "scanner-2");
    assertThat(run.getStatus().skipped().targets()).containsExactly("scanner-3");
    assertThat(run.getStatus().message())
        .endsWith("1 matching agent skipped (cordoned: scanner-3)");
    assertThat(run.getStatus().targets().failed()).isZero();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cluster.eventReasons("hello").contains("TargetsSkipped"));
  }

  private static Agent withUnschedulable(Agent agent, boolean cordon) {
    var spec = agent.getSpec();
    agent.setSpec(
        new dev.drover.api.agent.AgentSpec(
            spec.capacity(),
            spec.namespaces(),
            spec.hostname(),
            spec.version(),
            spec.leaseName(),
            spec.leaseNamespace(),
            cordon));
    return agent;
  }
}
