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
      Path log)
      throws IOException, InterruptedException {
    AgentProcesses agents = new AgentProcesses();
    for (int i = 1; i <= count; i++) {
      String name = prefix + "-" + i;
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
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().put("KUBECONFIG", kubeconfig.toString());
      agents.processes.add(builder.start());
      agents.names.add(name);
    }
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (!agents.allReady(client)) {
      if (Instant.now().isAfter(deadline)
          || agents.processes.stream().anyMatch(p -> !p.isAlive())) {
        agents.close();
        throw new IllegalStateException("the agents did not become Ready; see " + log);
      }
      Thread.sleep(200);
    }
    return agents;
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
              return agent != null
                  && agent.getStatus() != null
                  && agent.getStatus().getConditions() != null
                  && agent.getStatus().getConditions().stream()
                      .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            });
  }

  @Override
  public void close() throws InterruptedException {
    processes.forEach(Process::destroy);
    for (Process process : processes) {
      process.waitFor();
    }
  }
}
