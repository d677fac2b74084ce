package dev.drover.bench;

import dev.drover.api.agent.Agent;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Simulated agents ({@code drover-agent --simulate N}) in groups, one agent process per group, so
 * that a selector can pick the first groups: a fleet grown to sizes 50, 100, 500 is three groups of
 * 50, 50 and 400 agents. Every agent carries {@code bench-run=<run>} and {@code bench-group=g<i>}.
 */
final class SimulatedFleet implements AutoCloseable {
  private static final String GROUP = "bench-group";
  private static final String RUN = "bench-run";

  private final List<Integer> sizes;
  private final String run;
  private final List<Process> processes = new ArrayList<>();

  private SimulatedFleet(List<Integer> sizes, String run) {
    this.sizes = sizes;
    this.run = run;
  }

  /**
   * Starts agents in groups so that each of {@code sizes} (ascending) is a whole number of groups,
   * serving {@code namespace}, and waits until the operator reports every one Ready.
   */
  static SimulatedFleet start(
      KubernetesClient client,
      Path jar,
      Path kubeconfig,
      String namespace,
      String run,
      List<Integer> sizes,
      int capacity,
      Path log)
      throws IOException, InterruptedException {
    SimulatedFleet fleet = new SimulatedFleet(List.copyOf(sizes), run);
    int previous = 0;
    for (int group = 0; group < sizes.size(); group++) {
      int agents = sizes.get(group) - previous;
      previous = sizes.get(group);
      fleet.processes.add(
          AgentProcesses.launch(
              jar,
              List.of(),
              kubeconfig,
              log,
              "sim-" + run + "-g" + group,
              RUN + "=" + run + "," + GROUP + "=g" + group,
              namespace,
              capacity,
              List.of("--simulate", String.valueOf(agents))));
    }
    Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
    while (fleet.ready(client) < fleet.size()) {
      if (Instant.now().isAfter(deadline) || fleet.processes.stream().anyMatch(p -> !p.isAlive())) {
        fleet.close();
        throw new IllegalStateException("the simulated agents did not become Ready; see " + log);
      }
      Thread.sleep(500);
    }
    return fleet;
  }

  int size() {
    return sizes.get(sizes.size() - 1);
  }

  /** The agents of the groups that together make {@code size} agents. */
  LabelSelector selecting(int size) {
    int groups = sizes.indexOf(size) + 1;
    if (groups == 0) {
      throw new IllegalArgumentException("no group boundary at " + size + " agents: " + sizes);
    }
    List<String> names = new ArrayList<>();
    for (int group = 0; group < groups; group++) {
      names.add("g" + group);
    }
    return new LabelSelectorBuilder()
        .addToMatchLabels(RUN, run)
        .addNewMatchExpression()
        .withKey(GROUP)
        .withOperator("In")
        .withValues(names)
        .endMatchExpression()
        .build();
  }

  /** The processes' resident memory together, in bytes. */
  long residentBytes() throws IOException {
    long total = 0;
    for (Process process : processes) {
      total += OperatorProcess.residentBytes(process.pid());
    }
    return total;
  }

  /** How many agents are Ready; none while the API server is too busy starting them to answer. */
  private long ready(KubernetesClient client) {
    try {
      return client.resources(Agent.class).withLabel(RUN, run).list().getItems().stream()
          .filter(AgentProcesses::isReady)
          .count();
    } catch (KubernetesClientException e) {
      return 0;
    }
  }

  @Override
  public void close() throws InterruptedException {
    processes.forEach(Process::destroy);
    for (Process process : processes) {
      process.waitFor();
    }
  }
}
