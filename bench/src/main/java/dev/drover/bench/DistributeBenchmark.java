package dev.drover.bench;

import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Distribute throughput against a real API server, with the packaged operator and simulated agents
 * (one process) running {@code true} for every item: one execution per item on a smaller list (the
 * unbatched baseline), then the large list in batches of itemsPerExecution. Measured from the
 * create of the TaskRun until it is seen Succeeded, each beside its floor measured just before it:
 * the same processes started by the benchmark alone ({@link ProcessFloor}). Prints a Markdown
 * table.
 */
@Command(
    name = "drover-bench-distribute",
    mixinStandardHelpOptions = true,
    description = "Measures Distribute throughput, one item per execution and in batches.")
public class DistributeBenchmark implements Callable<Integer> {
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration LIMIT = Duration.ofMinutes(20);
  private static final List<String> COMMAND = List.of("true");

  @Mixin BenchCluster cluster;

  @Option(
      names = "--agent-jar",
      defaultValue = "agent-image/target/drover-agent.jar",
      description = "The packaged agent (default ${DEFAULT-VALUE}).")
  Path agentJar;

  @Option(
      names = "--agents",
      defaultValue = "10",
      description = "Agents simulated in one process (default ${DEFAULT-VALUE}).")
  int agents;

  @Option(
      names = "--agent-capacity",
      defaultValue = "8",
      description = "Capacity of each agent (default ${DEFAULT-VALUE}).")
  int agentCapacity;

  @Option(
      names = "--items",
      defaultValue = "10000",
      description = "Items of the batched run (default ${DEFAULT-VALUE}).")
  int items;

  @Option(
      names = "--items-per-execution",
      defaultValue = "100",
      description = "The batched run's itemsPerExecution (default ${DEFAULT-VALUE}).")
  int itemsPerExecution;

  @Option(
      names = "--baseline-items",
      defaultValue = "1000",
      description =
          "Items of the unbatched run, one execution each; 0 skips it (default ${DEFAULT-VALUE}).")
  int baselineItems;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DistributeBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String suffix = Long.toString(Instant.now().getEpochSecond(), 36);
    Path operatorLog = Files.createTempFile("drover-bench-operator", ".log");
    Path agentLog = Files.createTempFile("drover-bench-agents", ".log");
    System.out.println("operator log: " + operatorLog + "; agent log: " + agentLog);
    List<String> rows = new ArrayList<>();
    try (KubernetesClient client = cluster.client()) {
      String namespace = BenchCluster.namespace(client, "distribute-" + suffix);
      String labels = "role=distribute,distribute-run=" + suffix;
      try (OperatorProcess operator = cluster.startOperator(namespace, operatorLog);
          AgentProcesses started =
              AgentProcesses.start(
                  client,
                  agentJar,
                  List.of(),
                  cluster.kubeconfig,
                  namespace,
                  "sim-" + suffix,
                  labels,
                  agents,
                  agentCapacity,
                  agentLog,
                  AgentProcesses.Layout.ONE_PROCESS)) {
        if (baselineItems > 0) {
          rows.add(measure(client, operator, namespace, suffix, "unbatched", baselineItems, null));
        }
        rows.add(measure(client, operator, namespace, suffix, "batched", items, itemsPerExecution));
      }
    }
    System.out.println();
    System.out.println(
        "| run | items | executions | apply → Succeeded | items/s | floor: the processes alone,"
            + " items/s | ratio | operator CPU | operator heap after | operator RSS after | load"
            + " average before → after | machine CPU busy |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
    return 0;
  }

  private String measure(
      KubernetesClient client,
      OperatorProcess operator,
      String namespace,
      String suffix,
      String name,
      int count,
      Integer perExecution)
      throws Exception {
    Duration floor = ProcessFloor.run(cluster, COMMAND, count, agents * agentCapacity);
    PhaseMark mark = PhaseMark.of(operator);
    Instant start = Instant.now();
    client.resource(run(namespace, name, suffix, count, perExecution)).create();
    RunPhase phase = awaitEnd(client, namespace, name);
    Duration took = Duration.between(start, Instant.now());
    if (phase != RunPhase.Succeeded) {
      throw new IllegalStateException(name + " ended " + phase + ", not Succeeded");
    }
    int executions =
        client
            .resources(dev.drover.api.execution.TaskExecution.class)
            .inNamespace(namespace)
            .withLabel("drover.dev/run", name)
            .list()
            .getItems()
            .size();
    String metrics = operator.metrics();
    double heap = OperatorProcess.value(metrics, "jvm_memory_used_bytes", "area=\"heap\"");
    // The phase mark's row is "| phase | load | busy | cpu | reconciles |"; its middle is reused.
    String[] marked = mark.describe(operator, name).split("\\|");
    return String.format(
        Locale.ROOT,
        "| %s | %d | %d | %.1f s | %.0f | %.0f (%.1f s) | %.0f %% | %s | %.0f MiB | %.0f MiB | %s |"
            + " %s |",
        perExecution == null ? "one execution per item" : "itemsPerExecution " + perExecution,
        count,
        executions,
        took.toMillis() / 1000.0,
        count / (took.toMillis() / 1000.0),
        count / (floor.toMillis() / 1000.0),
        floor.toMillis() / 1000.0,
        100.0 * floor.toMillis() / took.toMillis(),
        marked[4].trim(),
        heap / (1024 * 1024),
        operator.residentBytes() / (1024.0 * 1024),
        marked[2].trim(),
        marked[3].trim());
  }

  private static RunPhase awaitEnd(KubernetesClient client, String namespace, String name)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(LIMIT);
    while (Instant.now().isBefore(deadline)) {
      TaskRun run = client.resources(TaskRun.class).inNamespace(namespace).withName(name).get();
      if (run.getStatus() != null
          && run.getStatus().phase() != null
          && run.getStatus().phase().isFinished()) {
        return run.getStatus().phase();
      }
      Thread.sleep(POLL.toMillis());
    }
    throw new IllegalStateException(name + " did not finish within " + LIMIT);
  }

  private static TaskRun run(
      String namespace, String name, String suffix, int count, Integer perExecution) {
    TaskRun run = new TaskRun();
    run.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    run.setSpec(
        TaskRunSpec.builder()
            .selector(
                new LabelSelectorBuilder()
                    .addToMatchLabels("role", "distribute")
                    .addToMatchLabels("distribute-run", suffix)
                    .build())
            .dispatch(Dispatch.Distribute)
            .items(IntStream.range(0, count).mapToObj(i -> "item-" + i).toList())
            .itemsPerExecution(perExecution)
            .command(COMMAND)
            .build());
    return run;
  }
}
