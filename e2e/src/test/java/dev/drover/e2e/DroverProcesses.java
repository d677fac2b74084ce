package dev.drover.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The packaged operator and agents, each a separate JVM, with their logs kept for failures. */
final class DroverProcesses implements AutoCloseable {
  private final Path root;
  private final Path operatorKubeconfig;
  private final Path agentKubeconfig;
  private final Path logs;
  private final Map<String, Process> running = new LinkedHashMap<>();

  /**
   * Operator and agents each authenticate with their own kubeconfig (the same one, or their
   * ServiceAccounts').
   */
  DroverProcesses(Path root, Path operatorKubeconfig, Path agentKubeconfig, Path logs)
      throws IOException {
    this.root = root;
    this.operatorKubeconfig = operatorKubeconfig;
    this.agentKubeconfig = agentKubeconfig;
    this.logs = Files.createDirectories(logs);
  }

  /**
   * Starts an operator serving /metrics on {@code port}; more flags (such as --leader-election) may
   * follow.
   */
  Process startOperator(String name, int port, String... flags) throws IOException {
    List<String> args = new ArrayList<>(List.of("--port", String.valueOf(port)));
    args.addAll(List.of(flags));
    return start(
        name, root.resolve("operator/target/drover-operator.jar"), args, operatorKubeconfig);
  }

  Process startAgent(String name, String labels, String namespaces, int capacity, int port)
      throws IOException {
    return startAgent(name, labels, namespaces, capacity, List.of("--port", String.valueOf(port)));
  }

  /** An agent started as the README starts one: without --port. */
  Process startAgentOnDefaultPort(String name, String labels, String namespaces, int capacity)
      throws IOException {
    return startAgent(name, labels, namespaces, capacity, List.of());
  }

  private Process startAgent(
      String name, String labels, String namespaces, int capacity, List<String> portFlags)
      throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--name",
                name,
                "--labels",
                labels,
                "--namespaces",
                namespaces,
                "--capacity",
                String.valueOf(capacity),
                "--lease-duration",
                "6"));
    args.addAll(portFlags);
    return start(name, root.resolve("agent-image/target/drover-agent.jar"), args, agentKubeconfig);
  }

  Process process(String name) {
    return running.get(name);
  }

  /** Everything a process wrote, stdout and stderr interleaved. */
  String log(String name) throws IOException {
    return Files.readString(logs.resolve(name + ".log"));
  }

  private Process start(String name, Path jar, List<String> args, Path kubeconfig)
      throws IOException {
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          jar + " is missing: package the build first (mvn verify packages it)");
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    Process process = builder.start();
    running.put(name, process);
    return process;
  }

  /** Kills a process with SIGKILL, as a crash or an OOM kill would. */
  void kill(String name) throws InterruptedException {
    Process process = running.remove(name);
    process.destroyForcibly();
    process.waitFor();
  }

  String logTails() throws IOException {
    StringBuilder text = new StringBuilder();
    try (var files = Files.list(logs)) {
      for (Path log : files.sorted().toList()) {
        List<String> lines = Files.readAllLines(log);
        text.append("==== ").append(log.getFileName()).append(" (last 40 lines)\n");
        lines
            .subList(Math.max(0, lines.size() - 40), lines.size())
            .forEach(l -> text.append(l).append('\n'));
      }
    }
    return text.toString();
  }

  @Override
  public void close() throws InterruptedException {
    for (Process process : running.values()) {
      process.destroy();
    }
    for (Process process : running.values()) {
      process.waitFor();
    }
    running.clear();
  }
}
