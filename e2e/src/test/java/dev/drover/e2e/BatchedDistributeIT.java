package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A Distribute handed out in batches (itemsPerExecution) to agent processes on a real API server:
 * every item runs exactly once, a failed item is retried alone in a new batch, and an operator
 * killed mid-run loses and repeats nothing.
 */
class BatchedDistributeIT extends RealCluster {

  /** Starts a batched ledger run over items 1..{@code count}; the ledger lists each item run. */
  private Path startBatchedLedgerRun(String name, int count, int perExecution, String extra)
      throws IOException {
    Path ledger = work.resolve(name + "-ledger.txt");
    apply(
        name,
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: %s}
        spec:
          selector: {matchLabels: {role: scanner}}
          dispatch: Distribute
          items: %s
          itemsPerExecution: %d
          retries: {limit: 1, backoffSeconds: 0}
          script: |
            echo "$DROVER_ITEM $DROVER_ATTEMPT" >> "%s"
            %s
        """
            .formatted(name, items(count), perExecution, ledger, extra));
    return ledger;
  }

  private String attemptsOf(String run) {
    return kubectl.ok(
        "get",
        "taskexecutions",
        "-n",
        NS,
        "-l",
        "drover.dev/run=" + run,
        "-o",
        "jsonpath={range .items[*]}{.spec.attempt}:{.spec.itemIndices}{\"\\n\"}{end}");
  }

  @Test
  void eachItemRunsOnceAndAFailedItemIsRetriedAloneInANewBatch() throws IOException {
    Path ledger =
        startBatchedLedgerRun(
            "batched",
            40,
            6,
            "[ \"$DROVER_ITEM\" != 17 ] || [ \"$DROVER_ATTEMPT\" = 2 ] || exit 5");

    kubectl.ok("wait", "-n", NS, "--for=condition=Succeeded", "taskrun/batched", "--timeout=120s");

    Map<String, Long> runs = runsPerLine(ledger);
    assertThat(runs).hasSize(41).containsEntry("17 1", 1L).containsEntry("17 2", 1L);
    assertThat(runs).allSatisfy((line, times) -> assertThat(times).as(line).isEqualTo(1));
    assertThat(lines(attemptsOf("batched"))).hasSize(8).contains("2:[16]");
    assertThat(jsonPath("taskrun", "batched", "{.status.progress}")).isEqualTo("40/40");
  }

  @Test
  void killingAndRestartingTheOperatorMidBatchedRunLosesAndDuplicatesNothing() throws Exception {
    Path ledger = startBatchedLedgerRun("batched-restart", 60, 5, "sleep 0.3");
    await()
        .atMost(PATIENCE)
        .until(() -> Files.exists(ledger) && Files.readAllLines(ledger).size() >= 5);

    processes.kill("operator");
    processes.restart("operator");

    kubectl.ok(
        "wait", "-n", NS, "--for=condition=Succeeded", "taskrun/batched-restart", "--timeout=180s");
    Map<String, Long> runs = runsPerLine(ledger);
    assertThat(runs).hasSize(60);
    assertThat(runs).allSatisfy((line, times) -> assertThat(times).as(line).isEqualTo(1));
    assertThat(lines(attemptsOf("batched-restart")))
        .hasSize(12)
        .allSatisfy(line -> assertThat(line).startsWith("1:"));
  }

  private static Map<String, Long> runsPerLine(Path ledger) throws IOException {
    return Files.readAllLines(ledger).stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  private static String items(int count) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(i -> "\"" + i + "\"")
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
