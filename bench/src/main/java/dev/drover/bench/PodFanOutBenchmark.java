package dev.drover.bench;

import static dev.drover.bench.BenchCluster.row;
import static dev.drover.bench.BenchCluster.seconds;

import dev.drover.api.DroverLabels;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.Executor;
import dev.drover.api.taskrun.PodOptions;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Pod fan-out against a real API server without kubelets: registers N Nodes, times a Broadcast pod
 * run from apply to its N pods, then plays the kubelets (bind, succeed) and times the run's
 * Succeeded after the last pod's; beside it, N plain pod creates by this client. Prints a Markdown
 * table.
 */
@Command(
    name = "drover-bench-pods",
    mixinStandardHelpOptions = true,
    description = "Measures Drover's pod fan-out on a real API server without kubelets.")
public class PodFanOutBenchmark implements Callable<Integer> {
  @Mixin BenchCluster cluster;

  @Option(
      names = "--nodes",
      defaultValue = "500",
      description = "Nodes, and so pods of the Broadcast (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--warm-up",
      defaultValue = "50",
      description =
          "Nodes of a first, unmeasured Broadcast that warms the operator up (default"
              + " ${DEFAULT-VALUE}; 0: none).")
  int warmUp;

  public static void main(String[] args) {
    System.exit(new CommandLine(new PodFanOutBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    try (KubernetesClient client = cluster.client()) {
      String suffix = Long.toString(Instant.now().getEpochSecond(), 36);
      String role = "bench-" + suffix;
      String floorNamespace = namespace(client, "bench-pod-floor-" + suffix);
      String runNamespace = namespace(client, "bench-pods-" + suffix);
      List<String> nodeNames = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        nodeNames.add(role + "-node-" + i);
      }
      cluster.inParallel(
          nodes, i -> SimulatedKubelets.registerNode(client, nodeNames.get(i), role, i < warmUp));
      Path log = Files.createTempFile("drover-bench-operator", ".log");
      System.out.println("operator log: " + log);
      List<String> rows = new ArrayList<>();

      Duration floor =
          cluster.inParallel(
              nodes, i -> client.resource(plainPod(floorNamespace, nodeNames.get(i))).create());
      rows.add(
          row(
              "plain-create floor",
              nodes + " pods, " + cluster.threads + " threads",
              seconds(floor)));

      try (OperatorProcess operator = cluster.startOperator(runNamespace, log)) {
        if (warmUp > 0) {
          client
              .resource(broadcast(runNamespace, "warm-up", Map.of("role", role, "warm-up", "true")))
              .create();
          awaitValue(
              () ->
                  client
                              .pods()
                              .inNamespace(runNamespace)
                              .withLabel(DroverLabels.RUN, "warm-up")
                              .list()
                              .getItems()
                              .size()
                          == warmUp
                      ? true
                      : null);
        }
        Duration cpuBefore = operator.cpuTime();
        String metricsBefore = operator.metrics();
        Instant applied = Instant.now();
        client.resource(broadcast(runNamespace, "fan-out", Map.of("role", role))).create();
        awaitValue(
            () ->
                client
                            .resources(TaskExecution.class)
                            .inNamespace(runNamespace)
                            .withLabel(DroverLabels.RUN, "fan-out")
                            .list()
                            .getItems()
                            .size()
                        == nodes
                    ? true
                    : null);
        rows.add(
            row(
                "apply → all executions created",
                nodes + " nodes, Broadcast",
                seconds(Duration.between(applied, Instant.now()))));
        List<Pod> pods =
            awaitValue(
                () -> {
                  List<Pod> found =
                      client
                          .pods()
                          .inNamespace(runNamespace)
                          .withLabel(DroverLabels.RUN, "fan-out")
                          .list()
                          .getItems();
                  return found.size() == nodes ? found : null;
                });
        Duration toPods = Duration.between(applied, Instant.now());
        rows.add(
            row(
                "apply → all pods created",
                nodes + " nodes, Broadcast",
                seconds(toPods)
                    + String.format(
                        Locale.ROOT,
                        " (%.2f× the floor)",
                        (double) toPods.toMillis() / floor.toMillis())));

        Instant kubeletsStart = Instant.now();
        cluster.inParallel(nodes, i -> SimulatedKubelets.runToSuccess(client, pods.get(i)));
        Instant lastPodSucceeded = Instant.now();
        awaitValue(
            () -> {
              TaskRun run =
                  client
                      .resources(TaskRun.class)
                      .inNamespace(runNamespace)
                      .withName("fan-out")
                      .get();
              return run.getStatus() != null && run.getStatus().phase() == RunPhase.Succeeded
                  ? run
                  : null;
            });
        Instant succeeded = Instant.now();
        rows.add(
            row(
                "kubelets played",
                "bind + Succeeded for " + nodes + " pods, " + cluster.threads + " threads",
                seconds(Duration.between(kubeletsStart, lastPodSucceeded))));
        rows.add(
            row(
                "last pod Succeeded → run Succeeded",
                nodes + " targets mirrored",
                seconds(Duration.between(lastPodSucceeded, succeeded))));
        String metrics = operator.metrics();
        rows.add(
            row(
                "reconciles",
                "apply → run Succeeded",
                String.format(
                    Locale.ROOT,
                    "taskrun %.0f, pod-executor %.0f",
                    reconciles(metrics, "taskrun") - reconciles(metricsBefore, "taskrun"),
                    reconciles(metrics, "pod-executor")
                        - reconciles(metricsBefore, "pod-executor"))));
        rows.add(
            row(
                "operator",
                "apply → run Succeeded",
                String.format(
                    Locale.ROOT,
                    "heap used %.0f MiB; CPU %s over %s",
                    OperatorProcess.value(metrics, "jvm_memory_used_bytes", "area=\"heap\"")
                        / 1024
                        / 1024,
                    seconds(operator.cpuTime().minus(cpuBefore)),
                    seconds(Duration.between(applied, succeeded)))));
      } finally {
        cluster.inParallel(nodes, i -> client.nodes().withName(nodeNames.get(i)).delete());
      }
      BenchCluster.printTable(rows);
    }
    return 0;
  }

  private static double reconciles(String metrics, String controller) {
    return OperatorProcess.value(
        metrics,
        "operator_sdk_controllers_execution_reconcile_seconds_count",
        "controller=\"" + controller + "\"");
  }

  private static TaskRun broadcast(String namespace, String name, Map<String, String> nodeLabels) {
    TaskRun run = new TaskRun();
    run.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    run.setSpec(
        TaskRunSpec.builder()
            .selector(
                new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
                    .addToMatchLabels(nodeLabels)
                    .build())
            .dispatch(Dispatch.Broadcast)
            .command(List.of("true"))
            .executor(Executor.Pod)
            .pod(new PodOptions("busybox", null, null, null, null, null, null, null, null, null))
            .build());
    return run;
  }

  /** A pod of the same weight as the operator's, created directly. */
  private static Pod plainPod(String namespace, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("plain-" + node)
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("task")
        .withImage("busybox")
        .withCommand("true")
        .endContainer()
        .endSpec()
        .build();
  }

  private static String namespace(KubernetesClient client, String name) {
    BenchCluster.namespace(client, name);
    // What the controller-manager would add; clusters with ServiceAccount admission need it for
    // pods.
    client
        .serviceAccounts()
        .inNamespace(name)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("default").endMetadata().build())
        .create();
    return name;
  }

  /** Polls until the supplier gives a value (at most ten minutes). */
  private static <T> T awaitValue(Supplier<T> probe) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
    while (Instant.now().isBefore(deadline)) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("gave up waiting after ten minutes");
  }
}
