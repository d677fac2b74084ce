package dev.drover.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The operator's memory with a long history kept: TaskRuns applied as a person applies them, each
 * finished with its executions' output tails in its status, and their TaskExecutions as the
 * operator creates them and an agent finishes them. Written before the operator starts (nothing in
 * it is left to do), then the packaged operator reconciles every run once; its heap after a full
 * collection and its RSS are read. Prints a Markdown table.
 */
@Command(
    name = "drover-bench-operator-memory",
    mixinStandardHelpOptions = true,
    description = "Measures the operator's memory with 10,000 finished runs and their executions.")
public class OperatorMemoryBenchmark implements Callable<Integer> {

  @Mixin BenchCluster cluster;

  @Option(
      names = "--runs",
      defaultValue = "10000",
      description = "TaskRuns (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--executions-per-run",
      defaultValue = "10",
      description = "TaskExecutions of each run, one per agent (default ${DEFAULT-VALUE}).")
  int executionsPerRun;

  @Option(
      names = "--tail-bytes",
      defaultValue = "2048",
      description =
          "Output tail each execution reports; the agent keeps at most 4096 (default"
              + " ${DEFAULT-VALUE}).")
  int tailBytes;

  @Option(
      names = "--namespace",
      description =
          "Measure the history an earlier run left in this namespace; nothing is created.")
  String reuse;

  @Option(
      names = "--histogram",
      defaultValue = "25",
      description = "Rows of the operator's class histogram to print (default ${DEFAULT-VALUE}).")
  int histogramRows;

  public static void main(String[] args) {
    System.exit(new CommandLine(new OperatorMemoryBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<String> rows = new ArrayList<>();
    try (KubernetesClient client = cluster.client()) {
      String namespace = reuse;
      if (namespace == null) {
        namespace =
            BenchCluster.namespace(
                client, "bench-memory-" + Long.toString(Instant.now().getEpochSecond(), 36));
        String ns = namespace;
        RetainedHistory history = new RetainedHistory(executionsPerRun, tailBytes);
        Duration filled = cluster.inParallel(runs, index -> history.write(client, ns, index));
        rows.add(
            BenchCluster.row(
                "fill",
                runs + " finished TaskRuns with " + executionsPerRun + " executions each",
                BenchCluster.seconds(filled)));
      }
      System.out.println("namespace: " + namespace);
      Path log = Files.createTempFile("drover-bench-operator", ".log");
      System.out.println("operator log: " + log);
      Instant started = Instant.now();
      try (OperatorProcess operator = cluster.startOperator(namespace, log)) {
        Duration ready = Duration.between(started, Instant.now());
        // Every run reconciled at least once, and no reconcile for 10 s: the operator is at rest.
        double seen = -1;
        double now = reconciles(operator.metrics());
        while (now < runs || now != seen) {
          seen = now;
          Thread.sleep(10_000);
          now = reconciles(operator.metrics());
        }
        rows.add(
            BenchCluster.row(
                "start",
                "operator ready (informers synced); every run reconciled",
                BenchCluster.seconds(ready)
                    + "; "
                    + BenchCluster.seconds(Duration.between(started, Instant.now()))));
        rows.add(
            BenchCluster.row(
                "memory",
                "heap used before a full GC; RSS",
                operator.heapMebibytes()
                    + " MiB; "
                    + JvmMemory.rssMebibytes(operator.pid())
                    + " MiB"));
        long heap = operator.heapAfterFullGc();
        rows.add(
            BenchCluster.row(
                "memory",
                "heap used after a full GC; RSS then",
                heap + " MiB; " + JvmMemory.rssMebibytes(operator.pid()) + " MiB"));
        System.out.println(JvmMemory.histogram(operator.pid(), histogramRows));
      }
    }
    BenchCluster.printTable(rows);
    return 0;
  }

  private static double reconciles(String metrics) {
    return OperatorProcess.value(
        metrics,
        "operator_sdk_controllers_execution_reconcile_seconds_count",
        "controller=\"taskrun\"");
  }
}
