package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The core TaskRun scenarios on a real API server, run by every kind of agent fleet: three agents
 * scanner-1..3 labelled role=scanner with capacity 4, however a subclass starts them.
 */
abstract class AgentScenarios extends RealCluster {
  @Test
  void aBroadcastOverThreeLabelledAgentsSucceedsThreeOfThree() {
    kubectl.ok("apply", "-n", NS, "-f", example("hello-broadcast.yaml"));

    kubectl.ok("wait", "-n", NS, "--for=condition=Succeeded", "taskrun/hello", "--timeout=90s");

    String table = kubectl.ok("get", "taskruns", "hello", "-n", NS);
    assertThat(table.lines().findFirst().orElseThrow())
        .contains("PHASE", "DONE", "FAILED", "DURATION", "AGE");
    assertThat(table).containsPattern("hello\\s.*Succeeded\\s+3/3\\s+0");
    assertThat(
            jsonPath(
                "taskrun", "hello", "{range .status.results[*]}{.target}={.message}{\"\\n\"}{end}"))
        .contains(
            "scanner-1=hello from scanner-1",
            "scanner-2=hello from scanner-2",
            "scanner-3=hello from scanner-3");
  }

  @Test
  void aDistributeRunOfTenItemsOverThreeAgentsRunsEachItemExactlyOnce() {
    kubectl.ok("apply", "-n", NS, "-f", example("scan-distribute.yaml"));

    kubectl.ok(
        "wait", "-n", NS, "--for=condition=Succeeded", "taskrun/scan-segments", "--timeout=90s");

    assertThat(kubectl.ok("get", "taskrun", "scan-segments", "-n", NS)).contains("10/10");
    List<String> rows =
        lines(
            executions(
                "drover.dev/run=scan-segments",
                "-o",
                "jsonpath={range .items[*]}{.spec.item} {.spec.attempt} {.status.phase}"
                    + " {.spec.agent}{\"\\n"
                    + "\"}{end}"));
    assertThat(rows).hasSize(10);
    Map<String, Long> perItem =
        rows.stream()
            .map(r -> r.split(" ")[0])
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(perItem).hasSize(10).allSatisfy((item, count) -> assertThat(count).isEqualTo(1));
    assertThat(rows).allSatisfy(r -> assertThat(r).contains(" 1 Succeeded scanner-"));
    assertThat(rows.stream().map(r -> r.split(" ")[3]).distinct().count()).isGreaterThan(1);
  }

  @Test
  void aFailingCommandWithTwoRetriesFailsAfterThreeAttemptsWithExitCodeAndOutput() {
    kubectl.ok("apply", "-n", NS, "-f", example("flaky-retries.yaml"));

    kubectl.ok("wait", "-n", NS, "--for=condition=Failed", "taskrun/flaky", "--timeout=90s");

    assertThat(jsonPath("taskrun", "flaky", "{.status.phase} {.status.reason}"))
        .isEqualTo("Failed TargetsFailed");
    assertThat(
            jsonPath(
                "taskrun", "flaky", "{.status.results[0].attempts} {.status.results[0].exitCode}"))
        .isEqualTo("3 2");
    assertThat(jsonPath("taskrun", "flaky", "{.status.results[0].message}"))
        .contains("attempt 3 on scanner-")
        .contains("pg_dumpall: connection refused");
    assertThat(lines(executions("drover.dev/run=flaky", "--no-headers"))).hasSize(3);
    assertThat(
            kubectl.ok("get", "events", "-n", NS, "--field-selector", "involvedObject.name=flaky"))
        .contains("Retrying", "Failed");
  }

  @Test
  void aTwoSecondTimeoutOnSleepSixtyEndsTimedOutWithTheProcessGone() {
    kubectl.ok("apply", "-n", NS, "-f", example("timeout.yaml"));

    kubectl.ok("wait", "-n", NS, "--for=condition=Failed", "taskrun/too-slow", "--timeout=90s");

    assertThat(jsonPath("taskrun", "too-slow", "{.status.results[0].phase}")).isEqualTo("TimedOut");
    assertThat(jsonPath("taskrun", "too-slow", "{.status.results[0].message}"))
        .startsWith("killed after 2s");
    // Gone well before the 60 s the command asked for.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        processes
                            .descendants()
                            .filter(
                                p ->
                                    p.info()
                                        .commandLine()
                                        .map(c -> c.endsWith("sleep 60"))
                                        .orElse(false)))
                    .isEmpty());
  }

  @Test
  void killingAndRestartingTheOperatorMidRunLosesAndDuplicatesNothing() throws Exception {
    Path ledger = startLedgerRun("ledger", 3);

    processes.kill("operator");
    processes.restart("operator");

    assertLedgerRunCompletedOnce("ledger", ledger);
    assertThat(
            lines(
                executions(
                    "drover.dev/run=ledger",
                    "-o",
                    "jsonpath={range .items[*]}{.spec.attempt}{\"\\n\"}{end}")))
        .hasSize(12)
        .containsOnly("1");
  }

  /** kubectl get of the executions a label selector picks in the test namespace, as asked. */
  String executions(String selector, String... output) {
    List<String> args = new ArrayList<>(List.of("get", "taskexecutions", "-n", NS, "-l", selector));
    args.addAll(List.of(output));
    return kubectl.ok(args.toArray(String[]::new));
  }
}
