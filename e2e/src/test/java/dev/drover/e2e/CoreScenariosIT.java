package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The core TaskRun scenarios on a real API server. */
class CoreScenariosIT extends RealCluster {
  @Test
  void theSchemaRejectsMalformedRunsWithClearMessages() throws IOException {
    Path bad = work.resolve("malformed.yaml");
    Files.writeString(
        bad,
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: malformed}
        spec:
          selector: {matchLabels: {role: scanner}}
          dispatch: Sometimes
          command: ["true"]
          timeoutSeconds: -5
        """);

    Kubectl.Result result = kubectl.run("apply", "-n", NS, "-f", bad.toString());

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output())
        .contains(
            "spec.dispatch: Unsupported value: \"Sometimes\": supported values: \"Broadcast\","
                + " \"Distribute\", \"Single\"")
        .contains(
            "spec.timeoutSeconds: Invalid value: -5: spec.timeoutSeconds in body should be greater"
                + " than or equal to 1");
  }

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
            kubectl.ok(
                "get",
                "taskexecutions",
                "-n",
                NS,
                "-l",
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
    assertThat(
            lines(
                kubectl.ok(
                    "get",
                    "taskexecutions",
                    "-n",
                    NS,
                    "-l",
                    "drover.dev/run=flaky",
                    "--no-headers")))
        .hasSize(3);
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
                        ProcessHandle.allProcesses()
                            .filter(
                                p ->
                                    p.info()
                                        .commandLine()
                                        .map(c -> c.endsWith("sleep 60"))
                                        .orElse(false)))
                    .isEmpty());
  }

  @Test
  void killingAnAgentMidRunMarksItNotReadyAndItsWorkLostThenRetriedElsewhere() throws Exception {
    apply(
        "survivor",
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: survivor}
        spec:
          selector: {matchLabels: {role: scanner}}
          dispatch: Distribute
          items: [a, b, c, d, e, f]
          script: sleep 5
          retries: {limit: 1, backoffSeconds: 0}
        """);
    await().atMost(PATIENCE).until(() -> runningOn("survivor", "scanner-3") > 0);

    processes.kill("scanner-3");

    awaitAgentReady("scanner-3", "False");
    kubectl.ok("wait", "-n", NS, "--for=condition=Succeeded", "taskrun/survivor", "--timeout=90s");
    List<String> rows =
        lines(
            kubectl.ok(
                "get",
                "taskexecutions",
                "-n",
                NS,
                "-l",
                "drover.dev/run=survivor",
                "-o",
                "jsonpath={range .items[*]}{.spec.unit} {.spec.attempt} {.spec.agent}"
                    + " {.status.phase}{\"\\n"
                    + "\"}{end}"));
    List<String> lost = rows.stream().filter(r -> r.endsWith(" Lost")).toList();
    assertThat(lost).isNotEmpty().allSatisfy(r -> assertThat(r).contains(" 1 scanner-3 "));
    for (String row : lost) {
      String unit = row.split(" ")[0];
      assertThat(rows)
          .anySatisfy(
              r ->
                  assertThat(r)
                      .startsWith(unit + " 2 ")
                      .endsWith(" Succeeded")
                      .doesNotContain("scanner-3"));
    }

    processes.restart("scanner-3");
    awaitAgentReady("scanner-3", "True");
  }

  @Test
  void killingAndRestartingTheOperatorMidRunLosesAndDuplicatesNothing() throws Exception {
    Path ledger = startLedgerRun("ledger", 3);

    processes.kill("operator");
    processes.restart("operator");

    assertLedgerRunCompletedOnce("ledger", ledger);
    assertThat(
            lines(
                kubectl.ok(
                    "get",
                    "taskexecutions",
                    "-n",
                    NS,
                    "-l",
                    "drover.dev/run=ledger",
                    "-o",
                    "jsonpath={range .items[*]}{.spec.attempt}{\"\\n\"}{end}")))
        .hasSize(12)
        .containsOnly("1");
  }
}
