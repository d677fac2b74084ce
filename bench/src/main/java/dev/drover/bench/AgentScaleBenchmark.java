package dev.drover.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The agent path at scale, against a real API server, with the packaged operator and a fleet of
 * simulated agents as separate processes on this machine: a Broadcast of {@code true} to growing
 * parts of the fleet, dispatch latency at idle, and throughput of many single runs at once; each
 * beside a floor measured in the same run (see {@link AgentFloors}). Prints a Markdown table.
 */
@Command(
    name = "drover-bench-agents",
    mixinStandardHelpOptions = true,
    description = "Measures Drover's agent fan-out, dispatch latency and throughput.")
public class AgentScaleBenchmark implements Callable<Integer> {
  @Mixin BenchCluster cluster;

  @Option(
      names = "--agent-jar",
      defaultValue = "agent-image/target/drover-agent.jar",
      description = "The packaged agent (default ${DEFAULT-VALUE}).")
  Path agentJar;

  @Option(
      names = "--fan-out",
      split = ",",
      defaultValue = "100,500,1000",
      description = "Agents each measured Broadcast reaches (default ${DEFAULT-VALUE}).")
  List<Integer> fanOut;

  @Option(
      names = "--latency-runs",
      defaultValue = "200",
      description = "Single runs one after another at idle (default ${DEFAULT-VALUE}; 0: none).")
  int latencyRuns;

  @Option(
      names = "--throughput-runs",
      defaultValue = "2000",
      description = "Single runs created at once (default ${DEFAULT-VALUE}; 0: none).")
  int throughputRuns;

  @Option(
      names = "--throughput-agents",
      defaultValue = "50",
      description = "Agents the single runs go to (default ${DEFAULT-VALUE}).")
  int throughputAgents;

  @Option(
      names = "--capacity",
      defaultValue = "8",
      description = "Capacity of each simulated agent (default ${DEFAULT-VALUE}).")
  int capacity;

  @Option(
      names = "--fan-out-floor-threads",
      defaultValue = "32",
      description =
          "Writes at a time in the Broadcast floor: the operator creates a run's executions 32 at"
              + " a time (default ${DEFAULT-VALUE}).")
  int fanOutFloorThreads;

  @Option(
      names = "--throughput-floor-threads",
      defaultValue = "100",
      description =
          "Runs written at a time in the throughput floor: the operator's reconcile threads"
              + " (default ${DEFAULT-VALUE}).")
  int throughputFloorThreads;

  @Option(
      names = "--settle",
      defaultValue = "5",
      description = "Seconds to wait before each phase (default ${DEFAULT-VALUE}).")
  int settle;

  public static void main(String[] args) {
    System.exit(new CommandLine(new AgentScaleBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String suffix = Long.toString(Instant.now().getEpochSecond(), 36);
    Path starts = Files.createTempDirectory("drover-bench-agent-starts");
    Path operatorLog = Files.createTempFile("drover-bench-operator", ".log");
    Path agentLog = Files.createTempFile("drover-bench-agents", ".log");
    System.out.println("operator log: " + operatorLog + "; agent log: " + agentLog);
    TreeSet<Integer> groupBoundaries = new TreeSet<>(fanOut);
    groupBoundaries.add(throughputAgents); // the warm-up's single runs go there too
    List<Integer> sizes = List.copyOf(groupBoundaries);
    List<String> rows = new ArrayList<>();
    List<String> phases = new ArrayList<>();
    try (KubernetesClient client = cluster.client()) {
      ensureNamespace(client, "drover-system"); // where agents keep their Leases
      String namespace = BenchCluster.namespace(client, "bench-agents-" + suffix);
      String floorNamespace = BenchCluster.namespace(client, "bench-agent-floor-" + suffix);
      try (OperatorProcess operator = cluster.startOperator(namespace, operatorLog)) {
        Instant fleetStart = Instant.now();
        try (SimulatedFleet fleet =
                SimulatedFleet.start(
                    client,
                    agentJar,
                    cluster.kubeconfig,
                    namespace,
                    suffix,
                    sizes,
                    capacity,
                    agentLog);
            WatchTimeline watch = new WatchTimeline(client, namespace)) {
          rows.add(
              BenchCluster.row(
                  "simulated fleet",
                  fleet.size() + " agents in " + sizes.size() + " processes, capacity " + capacity,
                  String.format(
                      Locale.ROOT,
                      "all Ready %s after start; agents' RSS together %.0f MiB",
                      BenchCluster.seconds(Duration.between(fleetStart, Instant.now())),
                      fleet.residentBytes() / 1024.0 / 1024.0)));
          AgentScalePhases measured =
              new AgentScalePhases(
                  this,
                  client,
                  namespace,
                  new AgentFloors(client, floorNamespace, cluster),
                  operator,
                  fleet,
                  watch,
                  new RecordedStarts(starts),
                  rows,
                  phases);
          measured.warmUp();
          if (latencyRuns > 0) {
            measured.latency();
          }
          for (int size : new TreeSet<>(fanOut)) {
            measured.fanOut(size);
          }
          if (throughputRuns > 0) {
            measured.throughput();
          }
        }
      }
    }
    BenchCluster.printTable(rows);
    System.out.println();
    System.out.println(
        "| phase | load average before → after | machine CPU busy | operator CPU | reconciles |");
    System.out.println("|---|---|---|---|---|");
    phases.forEach(System.out::println);
    return 0;
  }

  private static void ensureNamespace(KubernetesClient client, String name) {
    if (client.namespaces().withName(name).get() == null) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
  }
}
