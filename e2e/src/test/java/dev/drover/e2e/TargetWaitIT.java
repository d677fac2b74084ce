package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Runs that wait for their targets, on a real API server: a run applied together with the agents it
 * needs, and a Broadcast that late joiners run too. Agents start within each test.
 */
class TargetWaitIT extends RealCluster {
  @Override
  void startAgents() {
    // Each test starts the agents it needs, at the moment its scenario says.
  }

  @Test
  void aRunAppliedTogetherWithTheStartOfThreeAgentsSucceedsOnAllThree() throws IOException {
    for (int i = 1; i <= 3; i++) {
      processes.startAgent("fresh-" + i, "role=fresh", NS, 2, freePort());
    }
    apply(
        "together",
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: together}
        spec:
          selector: {matchLabels: {role: fresh}}
          command: ["true"]
        """);

    kubectl.ok("wait", "-n", NS, "--for=condition=Succeeded", "taskrun/together", "--timeout=120s");

    assertThat(kubectl.ok("get", "taskruns", "together", "-n", NS))
        .containsPattern("together\\s.*Succeeded\\s+3/3\\s+0");
    assertThat(
            kubectl.ok(
                "get",
                "events",
                "-n",
                NS,
                "--field-selector",
                "involvedObject.name=together",
                "-o",
                "jsonpath={.items[*].reason}"))
        .contains("WaitingForTargets");
  }

  @Test
  void aBroadcastRunsOnAnAgentThatJoinsWithinTheWindowAndNotOnOneThatJoinsAfter()
      throws IOException {
    processes.startAgent("joiner-1", "role=joiner", NS, 2, freePort());
    awaitAgentReady("joiner-1", "True");
    apply(
        "late-join",
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: late-join}
        spec:
          selector: {matchLabels: {role: joiner}}
          dispatch: Broadcast
          lateJoinSeconds: 60
          script: echo "hello from $DROVER_AGENT"
        """);
    await()
        .atMost(PATIENCE)
        .until(() -> !jsonPath("taskrun", "late-join", "{.status.startTime}").isEmpty());
    Instant started = Instant.parse(jsonPath("taskrun", "late-join", "{.status.startTime}"));

    await().atMost(PATIENCE).until(() -> Instant.now().isAfter(started.plusSeconds(10)));
    processes.startAgent("joiner-2", "role=joiner", NS, 2, freePort());
    await()
        .atMost(PATIENCE)
        .until(() -> jsonPath("taskrun", "late-join", "{.status.progress}").equals("2/2"));
    assertThat(jsonPath("taskrun", "late-join", "{.status.phase}"))
        .as("the window is still open")
        .isEqualTo("Running");

    kubectl.ok(
        "wait", "-n", NS, "--for=condition=Succeeded", "taskrun/late-join", "--timeout=120s");
    assertThat(Instant.now()).isAfter(started.plusSeconds(60));
    processes.startAgent("joiner-3", "role=joiner", NS, 2, freePort());
    awaitAgentReady("joiner-3", "True");

    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(10))
        .until(() -> jsonPath("taskrun", "late-join", "{.status.targets.total}").equals("2"));
    assertThat(
            jsonPath(
                "taskrun",
                "late-join",
                "{range .status.results[*]}{.target}={.message}{\"\\n\"}{end}"))
        .contains("joiner-1=hello from joiner-1", "joiner-2=hello from joiner-2")
        .doesNotContain("joiner-3");
    assertThat(
            kubectl.ok(
                "get",
                "taskexecutions",
                "-n",
                NS,
                "-l",
                "drover.dev/run=late-join",
                "-o",
                "jsonpath={.items[*].spec.agent}"))
        .doesNotContain("joiner-3");
  }
}
