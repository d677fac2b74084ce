package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Agents simulated in one process ({@code --simulate 3}) against the packaged operator on a real
 * API server, held to what the real agents do: each registers and is Ready, runs its share of a
 * Broadcast and reports the output tail, queues what exceeds its capacity, and is found NotReady
 * with its work Lost when the process stops renewing the Leases.
 */
class SimulatedFleetIT extends RealCluster {
  private static final String PROCESS = "sim";
  private static final List<String> AGENTS = List.of("sim-1", "sim-2", "sim-3");

  @Override
  void startAgents() throws IOException {
    int port = freePort();
    processes.startSimulatedAgents(PROCESS, AGENTS.size(), "role=scanner", NS, 1, port);
    for (String agent : AGENTS) {
      agentPorts.put(agent, port);
      awaitAgentReady(agent, "True");
    }
  }

  /** The phases of the executions a label selector picks, space-separated. */
  private String executionPhases(String selector) {
    return kubectl.ok(
        "get",
        "taskexecutions",
        "-n",
        NS,
        "-l",
        selector,
        "-o",
        "jsonpath={.items[*].status.phase}");
  }

  @Test
  void eachSimulatedAgentRegistersWithTheLabelsGiven() {
    for (String agent : AGENTS) {
      assertThat(kubectl.ok("get", "agent", agent, "-o", "jsonpath={.metadata.labels.role}"))
          .isEqualTo("scanner");
      assertThat(kubectl.ok("get", "lease", agent, "-n", "drover-system", "-o", "name").trim())
          .isEqualTo("lease.coordination.k8s.io/" + agent);
    }
  }

  @Test
  void aBroadcastRunsOnEverySimulatedAgentAndReportsEachOutputTail() throws IOException {
    apply(
        "sim-broadcast",
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: sim-broadcast}
        spec:
          selector: {matchLabels: {role: scanner}}
          script: 'echo "hello from $DROVER_AGENT"'
        """);

    kubectl.ok(
        "wait", "-n", NS, "--for=condition=Succeeded", "taskrun/sim-broadcast", "--timeout=90s");

    String tails =
        kubectl.ok(
            "get",
            "taskexecutions",
            "-n",
            NS,
            "-l",
            "drover.dev/run=sim-broadcast",
            "-o",
            "jsonpath={range .items[*]}{.spec.agent}={.status.message}{\"\\n\"}{end}");
    for (String agent : AGENTS) {
      assertThat(tails).contains(agent + "=hello from " + agent);
    }
  }

  /** Broadcasts reach every agent whatever its load: the second waits Queued behind the first. */
  @Test
  void workBeyondASimulatedAgentsCapacityWaitsQueued() throws IOException {
    apply(
        "sim-queue",
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: sim-first}
        spec:
          selector: {matchLabels: {role: scanner}}
          script: 'sleep 4'
        ---
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: sim-second}
        spec:
          selector: {matchLabels: {role: scanner}}
          script: 'sleep 1'
        """);

    await()
        .atMost(PATIENCE)
        .until(
            () -> executionPhases("drover.dev/run in (sim-first,sim-second)").contains("Queued"));
    kubectl.ok(
        "wait",
        "-n",
        NS,
        "--for=condition=Succeeded",
        "taskrun/sim-first",
        "taskrun/sim-second",
        "--timeout=120s");
    assertThat(jsonPath("taskrun", "sim-second", "{.status.progress}")).isEqualTo("3/3");
  }

  @Test
  void aStoppedProcessLeavesEveryAgentNotReadyAndItsWorkLost() throws Exception {
    apply(
        "sim-stalled",
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: sim-stalled}
        spec:
          selector: {matchLabels: {role: scanner}}
          script: 'sleep 120'
        """);
    await()
        .atMost(PATIENCE)
        .until(() -> jsonPath("taskrun", "sim-stalled", "{.status.phase}").equals("Running"));

    processes.signal(PROCESS, "STOP");
    try {
      for (String agent : AGENTS) {
        awaitAgentReady(agent, "False");
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> executionPhases("drover.dev/run=sim-stalled").equals("Lost Lost Lost"));
    } finally {
      processes.signal(PROCESS, "CONT");
    }
    for (String agent : AGENTS) {
      awaitAgentReady(agent, "True");
    }
  }
}
