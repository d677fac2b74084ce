package dev.drover.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Broadcast, Single and Distribute over agents running real processes, on the CRUD mock API. */
class DispatchTest extends ClusterTest {

  @Test
  void broadcastRunsOnceOnEveryMatchingAgent() {
    cluster.startAgent("db-1", Map.of("role", "db"), 2);
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: hello}
        spec:
          selector: {matchLabels: {role: scanner}}
          dispatch: Broadcast
          script: echo "hello from $DROVER_AGENT in $DROVER_NAMESPACE"
        """);

    TaskRun run = cluster.awaitPhase("hello", RunPhase.Succeeded);

    assertThat(run.getStatus().progress()).isEqualTo("3/3");
    assertThat(run.getStatus().targets().succeeded()).isEqualTo(3);
    assertThat(run.getStatus().results())
        .extracting(r -> r.target(), r -> r.message())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("scanner-1", "hello from scanner-1 in ops\n"),
            org.assertj.core.groups.Tuple.tuple("scanner-2", "hello from scanner-2 in ops\n"),
            org.assertj.core.groups.Tuple.tuple("scanner-3", "hello from scanner-3 in ops\n"));
    assertThat(run.getStatus().conditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Succeeded");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    assertThat(cluster.eventReasons("hello")).contains("Started", "Succeeded");
  }

  @Test
  void singleRunsOnExactlyOneAgent() {
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: once}
        spec:
          selector: {matchExpressions: [{key: zone, operator: In, values: [z2, z3]}]}
          dispatch: Single
          command: [echo, "$(DROVER_AGENT)"]
        """);

    TaskRun run = cluster.awaitPhase("once", RunPhase.Succeeded);

    assertThat(cluster.executions("once"))
        .singleElement()
        .satisfies(e -> assertThat(e.getSpec().agent()).isIn("scanner-2", "scanner-3"));
    assertThat(run.getStatus().results())
        .singleElement()
        .satisfies(r -> assertThat(r.message()).isEqualTo(r.agent() + "\n"));
  }

  @Test
  void distributeRunsEachItemExactlyOnceAcrossThePool() {
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: sweep}
        spec:
          selector: {matchLabels: {role: scanner}}
          dispatch: Distribute
          items: ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24", "10.0.4.0/24",
                  "10.0.5.0/24", "10.0.6.0/24", "10.0.7.0/24", "10.0.8.0/24", "10.0.9.0/24"]
          parallelism: 4
          command: [echo]
          args: ["scanned $(DROVER_ITEM)"]
        """);

    TaskRun run = cluster.awaitPhase("sweep", RunPhase.Succeeded);

    assertThat(run.getStatus().progress()).isEqualTo("10/10");
    Map<String, TaskExecution> byItem =
        cluster.executions("sweep").stream()
            .collect(Collectors.toMap(e -> e.getSpec().item(), Function.identity()));
    assertThat(byItem).hasSize(10);
    assertThat(byItem.values())
        .allSatisfy(
            e -> {
              assertThat(e.getSpec().attempt()).isEqualTo(1);
              assertThat(e.phase()).isEqualTo(ExecutionPhase.Succeeded);
              assertThat(e.getStatus().message()).isEqualTo("scanned " + e.getSpec().item() + "\n");
            });
    assertThat(byItem.values().stream().map(e -> e.getSpec().agent()).distinct())
        .hasSizeGreaterThan(1);
  }
}
