package dev.drover.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.execution.TaskExecution;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Distribute handed out in batches (itemsPerExecution) to agents running real processes; an
 * operator restarted mid-run is in {@link OperatorRestartTest}.
 */
class BatchedDistributeTest extends ClusterTest {
  @TempDir Path dir;

  @Test
  void everyItemRunsOnceAndAFailedItemIsRetriedAloneInANewBatch() throws IOException {
    Path ledger = dir.resolve("ledger");
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: sweep}
        spec:
          selector: {matchLabels: {role: scanner}}
          dispatch: Distribute
          items: %s
          itemsPerExecution: 4
          retries: {limit: 1, backoffSeconds: 0}
          script: |
            echo "$DROVER_ITEM $DROVER_ATTEMPT" >> "$LEDGER"
            [ "$DROVER_ITEM" != 13 ] || [ "$DROVER_ATTEMPT" = 2 ] || exit 7
            echo "done-$DROVER_ITEM" > "$DROVER_RESULT"
          env: [{name: LEDGER, value: "%s"}]
        """
            .formatted(items(25), ledger));

    TaskRun run = cluster.awaitPhase("sweep", RunPhase.Succeeded);

    assertThat(run.getStatus().progress()).isEqualTo("25/25");
    assertThat(Files.readAllLines(ledger))
        .hasSize(26)
        .containsOnlyOnce("13 1", "13 2", "1 1", "25 1");
    List<TaskExecution> executions = cluster.executions("sweep");
    assertThat(executions).hasSize(8);
    assertThat(executions)
        .filteredOn(e -> e.getSpec().attempt() == 2)
        .singleElement()
        .satisfies(
            retry -> {
              assertThat(retry.getSpec().items()).containsExactly("13");
              assertThat(retry.getSpec().itemIndices()).containsExactly(12);
            });
    assertThat(cluster.eventReasons("sweep")).contains("Retrying");
    assertThat(run.getStatus().result()).startsWith("[\"done-1\",\"done-2\"");
  }

  @Test
  void aFlowReadsABatchedRunsResultsOneElementPerItem() {
    cluster.create(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskFlow
        metadata: {name: squares}
        spec:
          tasks:
          - name: square
            spec: {selector: {matchLabels: {role: scanner}}, dispatch: Distribute,
                   items: ["1", "2", "3", "4", "5"], itemsPerExecution: 2,
                   script: 'echo $((DROVER_ITEM * DROVER_ITEM)) > "$DROVER_RESULT"'}
          - name: sum
            dependsOn: [square]
            spec: {selector: {matchLabels: {role: scanner}}, dispatch: Single,
                   command: [/bin/sh, -c, 'printf "%s" "$1" > "$DROVER_RESULT"', sh, '$(tasks.square.result)']}
        """,
        TaskFlow.class);

    TaskFlow flow = cluster.awaitFlowPhase("squares", RunPhase.Succeeded);

    assertThat(FlowTest.task(flow, "sum").result()).isEqualTo("[1,4,9,16,25]");
  }

  /** Items "1".."count" as a YAML flow sequence. */
  private static String items(int count) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(i -> "\"" + i + "\"")
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
