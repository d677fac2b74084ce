package dev.drover.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * TaskFlow overhead against a real API server, with the packaged operator and agents running as
 * separate processes on this machine: a chain of single-target steps (per-link overhead), a wide
 * flow of independent tasks (time to complete), and beside them, measured in the same run, single
 * TaskRuns one after another and as many plain TaskRuns at once as the wide flow has tasks. Every
 * command records its own start, in nanoseconds, to a file named after its run. Prints Markdown
 * tables.
 */
@Command(
    name = "drover-bench-flows",
    mixinStandardHelpOptions = true,
    description = "Measures Drover's TaskFlow overhead on a real API server with real agents.")
public class FlowBenchmark implements Callable<Integer> {
  @Mixin BenchCluster cluster;

  @Option(
      names = "--agent-jar",
      defaultValue = "agent-image/target/drover-agent.jar",
      description = "The packaged agent (default ${DEFAULT-VALUE}).")
  Path agentJar;

  @Option(
      names = "--agents",
      defaultValue = "4",
      description = "Agents started on this machine (default ${DEFAULT-VALUE}).")
  int agents;

  @Option(
      names = "--agent-capacity",
      defaultValue = "50",
      description = "Capacity of each agent (default ${DEFAULT-VALUE}).")
  int agentCapacity;

  @Option(
      names = "--singles",
      defaultValue = "50",
      description =
          "Single TaskRuns run one after another as the baseline (default ${DEFAULT-VALUE}).")
  int singles;

  @Option(
      names = "--warm-up",
      defaultValue = "5",
      description = "Unmeasured single TaskRuns run first (default ${DEFAULT-VALUE}).")
  int warmUp;

  @Option(
      names = "--chain",
      defaultValue = "100",
      description = "Steps of the chain flow (default ${DEFAULT-VALUE}).")
  int chain;

  @Option(
      names = "--wide",
      defaultValue = "200",
      description =
          "Independent tasks of the wide flow, and plain TaskRuns of its floor (default"
              + " ${DEFAULT-VALUE}; a flow holds at most 200 tasks).")
  int wide;

  @Option(
      names = "--settle",
      defaultValue = "5",
      description =
          "Seconds to wait between phases, so that one phase's trailing writes do not fall into the"
              + " next (default ${DEFAULT-VALUE}).")
  int settle;

  public static void main(String[] args) {
    System.exit(new CommandLine(new FlowBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String suffix = Long.toString(Instant.now().getEpochSecond(), 36);
    Map<String, String> selector = Map.of("role", "bench", "bench-run", suffix);
    Path starts = Files.createTempDirectory("drover-bench-flow-starts");
    Path operatorLog = Files.createTempFile("drover-bench-operator", ".log");
    Path agentLog = Files.createTempFile("drover-bench-agents", ".log");
    System.out.println("operator log: " + operatorLog + "; agent log: " + agentLog);
    List<String[]> rows;
    List<String> phases;
    try (KubernetesClient client = cluster.client()) {
      String namespace = BenchCluster.namespace(client, "bench-flow-" + suffix);
      try (OperatorProcess startedOperator = cluster.startOperator(namespace, operatorLog);
          AgentProcesses started =
              AgentProcesses.start(
                  client,
                  agentJar,
                  List.of(),
                  cluster.kubeconfig,
                  namespace,
                  "bench-" + suffix,
                  "role=bench,bench-run=" + suffix,
                  agents,
                  agentCapacity,
                  agentLog,
                  AgentProcesses.Layout.PROCESS_EACH);
          WatchTimeline watch = new WatchTimeline(client, namespace)) {
        FlowPhases measured =
            new FlowPhases(
                this,
                client,
                namespace,
                startedOperator,
                watch,
                new RecordedStarts(starts),
                selector);
        measured.warmUp(warmUp);

        measured.chain(measured.baseline());
        measured.wide();
        rows = measured.rows();
        phases = measured.phases();
      }
    }
    System.out.println();
    System.out.println("| figure | flow | baseline, same run |");
    System.out.println("|---|---|---|");
    rows.forEach(r -> System.out.println("| " + String.join(" | ", r) + " |"));
    System.out.println();
    System.out.println(
        "| phase | load average before → after | machine CPU busy | operator CPU | reconciles |");
    System.out.println("|---|---|---|---|---|");
    phases.forEach(System.out::println);
    return 0;
  }
}
