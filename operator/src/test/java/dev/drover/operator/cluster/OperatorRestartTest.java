package dev.drover.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator stopped mid-run and started again: nothing lost, nothing run twice. */
class OperatorRestartTest extends ClusterTest {

  @Test
  void aRunSurvivesAnOperatorRestartWithEveryItemRunExactlyOnce(@TempDir Path dir)
      throws IOException {
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
          parallelism: 3
          script: 'echo "$DROVER_ITEM" >> "$LEDGER"; sleep 0.5'
          env: [{name: LEDGER, value: "%s"}]
        """
            .formatted(ledger));
    await()
        .atMost(DroverCluster.PATIENCE)
        .until(() -> Files.exists(ledger) && Files.readAllLines(ledger).size() >= 2);

    cluster.stopOperator();
    cluster.startOperator();

    TaskRun run = cluster.awaitPhase("ledger", RunPhase.Succeeded);
    assertThat(run.getStatus().progress()).isEqualTo("12/12");
    DroverCluster.assertEachLineOnce(ledger, 12);
    List<TaskExecution> executions = cluster.executions("ledger");
    assertThat(executions)
        .hasSize(12)
        .allSatisfy(e -> assertThat(e.getSpec().attempt()).isEqualTo(1));
  }
}
