package dev.drover.bench;

import dev.drover.api.agent.Agent;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Packaged agents as separate processes on this machine, each with its own name and log. */
final class AgentProcesses implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();
  private final List<String> names = new ArrayList<>();

  private AgentProcesses() {}

  /** How the agents run: a process each, or all in one process (the agent's --simulate). */
  enum Layout {
    PROCESS_EACH,
    ONE_PROCESS
  }

  /**
   * Starts {@code count} agents named {@code prefix-1..count} with the given labels and capacity,
   * serving {@code namespace}, and waits until the operator reports each Ready. Their HTTP
   * endpoints are off, so that any number fit on one machine.
   */
  static AgentProcesses start(
      KubernetesClient client,
      Path jar,
      List<String> javaOptions,
      Path kubeconfig,
      String namespace,
      String prefix,
      String labels,
      int count,
      int capacity,
      Path log,
      Layout layout)
      throws IOException, InterruptedException {
    AgentProcesses agents = new AgentProcesses();
    for (int i = 1; i <= count; i++) {
      agents.names.add(prefix + "-" + i);
    }
    if (layout == Layout.ONE_PROCESS) {
      agents.processes.add(
          launch(
              jar,
              javaOptions,
              kubeconfig,
              log,
              prefix,
              labels,
              namespace,
              capacity,
              List.of("--simulate", String.valueOf(count))));
    } else {
      for (String name : agents.names) {
        agents.processes.add(
            launch(
                jar, javaOptions, kubeconfig, log, name, labels, namespace, capacity, List.of()));
      }
    }
    agents.awaitReady(client, log);
    return agents;
  }

  private void awaitReady(KubernetesClient client, Path log) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (!allReady(client)) {
      if (Instant.now().isAfter(deadline) || processes.stream().anyMatch(p -> !p.isAlive())) {
        close();
        throw new IllegalStateException("the agents did not become Ready; see " + log);
      }
      Thread.sleep(200);
    }
  }

  /**
   * One packaged agent process serving {@code namespace}, its HTTP endpoints off, its output
   * appended to {@code log}.
   */
  static Process launch(
      Path jar,
      List<String> javaOptions,
      Path kubeconfig,
      Path log,
      String name,
      String labels,
      String namespace,
      int capacity,
      List<String> moreArgs)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(javaOptions);
    command.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "--name",
            name,
            "--labels",
            labels,
            "--namespaces",
            namespace,
            "--capacity",
            String.valueOf(capacity),
            "--port",
            "0"));
    command.addAll(moreArgs);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    return builder.start();
  }

  /** Process ids, in the order of the names. */
  List<Long> pids() {
    return processes.stream().map(Process::pid).toList();
  }

  private boolean allReady(KubernetesClient client) {
    return names.stream()
        .allMatch(
            name -> {
              Agent agent = client.resources(Agent.class).withName(name).get();
              return agent != null && isReady(agent);
            });
  }

  /** Whether the operator reports the agent Ready. */
  static boolean isReady(Agent agent) {
    return agent.getStatus() != null
        && agent.getStatus().getConditions() != null
        && agent.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  public void close() throws InterruptedException {
    processes.forEach(Process::destroy);
    for (Process process : processes) {
      process.waitFor();
    }
  }
}
