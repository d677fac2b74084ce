package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The core TaskRun scenarios with agents as separate processes, plus what only those show: the
 * schema's messages and one agent killed while the others carry on.
 */
class CoreScenariosIT extends AgentScenarios {
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
            executions(
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
}
