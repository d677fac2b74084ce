package dev.drover.bench;

import dev.drover.api.DroverLabels;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
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
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * One packaged agent's memory: its RSS once it has been idle a while, then while it runs many
 * processes at once (a Distribute of {@code sleep} over as many items as its capacity), and after
 * they end. The packaged operator runs beside it to dispatch the work. Prints a Markdown table.
 */
@Command(
    name = "drover-bench-agent-footprint",
    mixinStandardHelpOptions = true,
    description = "Measures one agent's RSS idle and with 50 processes running.")
public class AgentFootprintBenchmark implements Callable<Integer> {
  @Mixin BenchCluster cluster;

  @Option(
      names = "--agent-jar",
      defaultValue = "agent-image/target/drover-agent.jar",
      description = "The packaged agent (default ${DEFAULT-VALUE}).")
  Path agentJar;

  @Option(
      names = "--agent-java-options",
      split = " ",
      description = "JVM options for the agent, e.g. those of the agent image's JAVA_TOOL_OPTIONS.")
  List<String> agentJavaOptions = List.of();

  @Option(
      names = "--processes",
      defaultValue = "50",
      description = "Processes run at once; also the agent's capacity (default ${DEFAULT-VALUE}).")
  int processes;

  @Option(
      names = "--idle-seconds",
      defaultValue = "60",
      description = "How long the agent idles before its RSS is read (default ${DEFAULT-VALUE}).")
  int idleSeconds;

  @Option(
      names = "--sleep-seconds",
      defaultValue = "30",
      description = "How long each process sleeps (default ${DEFAULT-VALUE}).")
  int sleepSeconds;

  public static void main(String[] args) {
    System.exit(new CommandLine(new AgentFootprintBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<String> rows = new ArrayList<>();
    String suffix = Long.toString(Instant.now().getEpochSecond(), 36);
    try (KubernetesClient client = cluster.client()) {
      String namespace = BenchCluster.namespace(client, "bench-agent-" + suffix);
      Path log = Files.createTempFile("drover-bench-agent", ".log");
      System.out.println("operator and agent log: " + log);
      try (OperatorProcess operator = cluster.startOperator(namespace, log);
          AgentProcesses agents =
              AgentProcesses.start(
                  client,
                  agentJar,
                  agentJavaOptions,
                  cluster.kubeconfig,
                  namespace,
                  "footprint-" + suffix,
                  "footprint=" + suffix,
                  1,
                  processes,
                  log,
                  AgentProcesses.Layout.PROCESS_EACH)) {
        long pid = agents.pids().get(0);
        rows.add(
            BenchCluster.row(
                "options", "agent JVM options", String.join(" ", agentJavaOptions) + " "));
        Thread.sleep(Duration.ofSeconds(idleSeconds).toMillis());
        rows.add(
            BenchCluster.row(
                "idle", "RSS after " + idleSeconds + " s Ready and idle", memory(pid)));
        System.out.println(rows.get(rows.size() - 1));
        String run = "footprint-" + suffix;
        client.resource(sleeping(namespace, run, suffix)).create();
        long peak = -1;
        String atPeak = "never all at once";
        long mostRunning = 0;
        Instant deadline = Instant.now().plusSeconds(sleepSeconds + 300L);
        while (!finished(client, namespace, run)) {
          if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException("the run did not finish; see " + log);
          }
          long running = running(client, namespace, run);
          mostRunning = Math.max(mostRunning, running);
          long rss = JvmMemory.rssMebibytes(pid);
          if (running == processes && rss > peak) {
            peak = rss;
            atPeak = memory(pid);
          }
          Thread.sleep(1000);
        }
        rows.add(
            BenchCluster.row(
                "busy",
                "highest RSS while all "
                    + processes
                    + " processes ran (most seen running: "
                    + mostRunning
                    + ")",
                atPeak));
        System.out.println(rows.get(rows.size() - 1));
        Thread.sleep(10_000);
        rows.add(BenchCluster.row("after", "RSS 10 s after the run Succeeded", memory(pid)));
      }
    }
    BenchCluster.printTable(rows);
    return 0;
  }

  private static String memory(long pid) throws Exception {
    return JvmMemory.rssMebibytes(pid) + " MiB RSS, " + JvmMemory.threads(pid) + " threads";
  }

  private TaskRun sleeping(String namespace, String name, String suffix) {
    TaskRun run = new TaskRun();
    run.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    run.setSpec(
        TaskRunSpec.builder()
            .selector(new LabelSelectorBuilder().addToMatchLabels("footprint", suffix).build())
            .dispatch(Dispatch.Distribute)
            .items(IntStream.range(0, processes).mapToObj(String::valueOf).toList())
            .parallelism(processes)
            .command(List.of("sleep", String.valueOf(sleepSeconds)))
            .build());
    return run;
  }

  private static long running(KubernetesClient client, String namespace, String run) {
    return client
        .resources(TaskExecution.class)
        .inNamespace(namespace)
        .withLabel(DroverLabels.RUN, run)
        .list()
        .getItems()
        .stream()
        .filter(e -> e.getStatus() != null && e.getStatus().phase() == ExecutionPhase.Running)
        .count();
  }

  private static boolean finished(KubernetesClient client, String namespace, String run) {
    TaskRun current = client.resources(TaskRun.class).inNamespace(namespace).withName(run).get();
    return current.getStatus() != null
        && current.getStatus().phase() != null
        && current.getStatus().phase() != RunPhase.Pending
        && current.getStatus().phase() != RunPhase.Running;
  }
}
