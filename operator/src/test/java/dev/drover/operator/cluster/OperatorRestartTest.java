package dev.drover.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The operator stopped mid-run and started again: nothing lost, nothing run twice. */
class OperatorRestartTest extends ClusterTest {

  /** One execution per item within a parallelism of 3, and batches of 3 items. */
  @ParameterizedTest
  @CsvSource({"parallelism: 3, 12", "itemsPerExecution: 3, 4"})
  void aRunSurvivesAnOperatorRestartWithEveryItemRunExactlyOnce(
      String handOut, int executions, @TempDir Path dir) throws IOException {
    Path ledger = dir.resolve("ledger");
    cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: ledger}
        spec:
          selector: {matchLabels: {role: scanner}}
          dispatch: Distribute
          items: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]
          %s
          script: 'echo "$DROVER_ITEM" >> "$LEDGER"; sleep 0.5'
          env: [{name: LEDGER, value: "%s"}]
        """
            .formatted(handOut, ledger));
    await()
        .atMost(DroverCluster.PATIENCE)
        .until(() -> Files.exists(ledger) && Files.readAllLines(ledger).size() >= 2);

    cluster.stopOperator();
    cluster.startOperator();

    TaskRun run = cluster.awaitPhase("ledger", RunPhase.Succeeded);
    assertThat(run.getStatus().progress()).isEqualTo("12/12");
    DroverCluster.assertEachLineOnce(ledger, 12);
    assertThat(cluster.executions("ledger"))
        .hasSize(executions)
        .allSatisfy(e -> assertThat(e.getSpec().attempt()).isEqualTo(1));
  }
}
