package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Agents simulated in one process ({@code --simulate 3}) against the packaged operator on a real
 * API server, held to what real agents do: the core scenarios every fleet runs, and besides each
 * agent registers with its own Lease, reports its output tail, queues what exceeds its capacity,
 * and is found NotReady with its work Lost when the process stops renewing the Leases.
 */
class SimulatedFleetIT extends AgentScenarios {
  private static final String PROCESS = "scanner";
  private static final List<String> AGENTS = List.of("scanner-1", "scanner-2", "scanner-3");
  private static final int CAPACITY = 4;

  @Override
  void startAgents() throws IOException {
    int port = freePort();
    processes.startSimulatedAgents(PROCESS, AGENTS.size(), "role=scanner", NS, CAPACITY, port);
    for (String agent : AGENTS) {
      agentPorts.put(agent, port);
      awaitAgentReady(agent, "True");
    }
  }

  /** The phases of the executions a label selector picks, space-separated. */
  private String executionPhases(String selector) {
    return executions(selector, "-o", "jsonpath={.items[*].status.phase}");
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
        executions(
            "drover.dev/run=sim-broadcast",
            "-o",
            "jsonpath={range .items[*]}{.spec.agent}={.status.message}{\"\\n\"}{end}");
    for (String agent : AGENTS) {
      assertThat(tails).contains(agent + "=hello from " + agent);
    }
  }

  /** Broadcasts reach every agent whatever its load: the one beyond capacity waits Queued. */
  @Test
  void workBeyondASimulatedAgentsCapacityWaitsQueued() throws IOException {
    StringBuilder runs = new StringBuilder();
    List<String> names = new ArrayList<>();
    for (int i = 0; i <= CAPACITY; i++) {
      names.add("sim-busy-" + i);
      runs.append(
          """
          apiVersion: drover.dev/v1alpha1
          kind: TaskRun
          metadata: {name: sim-busy-%d}
          spec:
            selector: {matchLabels: {role: scanner}}
            script: 'sleep %d'
          ---
          """
              .formatted(i, i < CAPACITY ? 4 : 1));
    }
    apply("sim-queue", runs.toString());

    await()
        .atMost(PATIENCE)
        .until(
            () ->
                executionPhases("drover.dev/run in (" + String.join(",", names) + ")")
                    .contains("Queued"));
    List<String> waitFor = new ArrayList<>(List.of("wait", "-n", NS, "--for=condition=Succeeded"));
    names.forEach(name -> waitFor.add("taskrun/" + name));
    waitFor.add("--timeout=120s");
    kubectl.ok(waitFor.toArray(String[]::new));
    assertThat(jsonPath("taskrun", names.get(CAPACITY), "{.status.progress}")).isEqualTo("3/3");
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
