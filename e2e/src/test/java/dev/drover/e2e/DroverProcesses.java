package dev.drover.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The packaged operator and agents, each a separate JVM, with their logs kept for failures. A
 * process that was killed can be started again as it was first started.
 */
final class DroverProcesses implements AutoCloseable {
  private final Path root;
  private final Path operatorKubeconfig;
  private final Path agentKubeconfig;
  private final Path logs;
  private final Map<String, Launch> launches = new LinkedHashMap<>();
  private final Map<String, Process> running = new LinkedHashMap<>();

  /**
   * What a process was started with, to start it again the same way, and the port of its /metrics
   * (null when the process chose it).
   */
  private record Launch(Path jar, List<String> args, Path kubeconfig, Integer port) {}

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
    return launch(
        name,
        new Launch(
            root.resolve("operator/target/drover-operator.jar"), args, operatorKubeconfig, port));
  }

  Process startAgent(String name, String labels, String namespaces, int capacity, int port)
      throws IOException {
    List<String> args = agentArgs(name, labels, namespaces, capacity);
    args.addAll(List.of("--port", String.valueOf(port)));
    return launch(name, new Launch(agentJar(), args, agentKubeconfig, port));
  }

  /**
   * Starts a console serving on {@code port}, logged in to the API server with its own kubeconfig
   * (its ServiceAccount's); more flags (--read-only, --auth none) may follow.
   */
  Process startConsole(String name, int port, Path kubeconfig, String... flags) throws IOException {
    List<String> args = new ArrayList<>(List.of("--port", String.valueOf(port)));
    args.addAll(List.of(flags));
    return launch(
        name,
        new Launch(root.resolve("console/target/drover-console.jar"), args, kubeconfig, port));
  }

  /** One process running {@code count} simulated agents NAME-1 ... NAME-count. */
  Process startSimulatedAgents(
      String name, int count, String labels, String namespaces, int capacity, int port)
      throws IOException {
    List<String> args = agentArgs(name, labels, namespaces, capacity);
    args.addAll(List.of("--simulate", String.valueOf(count), "--port", String.valueOf(port)));
    return launch(name, new Launch(agentJar(), args, agentKubeconfig, port));
  }

  /** An agent started as the README starts one: without --port. */
  Process startAgentOnDefaultPort(String name, String labels, String namespaces, int capacity)
      throws IOException {
    return launch(
        name,
        new Launch(
            agentJar(), agentArgs(name, labels, namespaces, capacity), agentKubeconfig, null));
  }

  private Path agentJar() {
    return root.resolve("agent-image/target/drover-agent.jar");
  }

  private static List<String> agentArgs(
      String name, String labels, String namespaces, int capacity) {
    return new ArrayList<>(
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
  }

  /** Stops keeping a process that was meant to end (it is not started again). */
  void forget(String name) {
    launches.remove(name);
    running.remove(name);
  }

  /** Everything a process wrote, stdout and stderr interleaved. */
  String log(String name) throws IOException {
    return Files.readString(logs.resolve(name + ".log"));
  }

  Process process(String name) {
    return running.get(name);
  }

  /** Starts a killed process again, with the name, arguments and log it was first started with. */
  void restart(String name) throws IOException {
    Process previous = running.get(name);
    if (previous != null && previous.isAlive()) {
      throw new IllegalStateException(name + " is still running");
    }
    start(name);
  }

  /** Every process the running Drover processes started, and theirs in turn. */
  Stream<ProcessHandle> descendants() {
    return running.values().stream().flatMap(Process::descendants);
  }

  /** Starts again every process that was killed or has exited. */
  void restartStopped() throws IOException {
    for (String name : launches.keySet()) {
      Process process = running.get(name);
      if (process == null || !process.isAlive()) {
        start(name);
      }
    }
  }

  /** The ports on which the processes serve /metrics. */
  List<Integer> metricsPorts() {
    return launches.values().stream().map(Launch::port).filter(Objects::nonNull).toList();
  }

  private Process launch(String name, Launch launch) throws IOException {
    if (!Files.exists(launch.jar())) {
      throw new IllegalStateException(
          launch.jar() + " is missing: package the build first (mvn verify packages it)");
    }
    launches.put(name, launch);
    return start(name);
  }

  private Process start(String name) throws IOException {
    Launch launch = launches.get(name);
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-jar");
    command.add(launch.jar().toString());
    command.addAll(launch.args());
    Path log = logs.resolve(name + ".log");
    // A process started again appends to the same log; the marker shows where each run begins.
    Files.writeString(
        log, "---- starting " + name + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("KUBECONFIG", launch.kubeconfig().toString());
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

  /**
   * Sends a signal (STOP, CONT, KILL, ...) to a running process only, not to the commands it
   * started, as a stalled or frozen JVM would leave them.
   */
  void signal(String name, String signal) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, String.valueOf(running.get(name).pid()))
            .redirectErrorStream(true)
            .start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + signal + " " + name + " failed");
    }
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
