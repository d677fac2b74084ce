package dev.drover.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import picocli.CommandLine.Option;

/**
 * What every benchmark takes (the test cluster, the operator to run, client threads) and the
 * helpers they share.
 */
final class BenchCluster {
  @Option(
      names = "--kubeconfig",
      required = true,
      description =
          "Kubeconfig of a test cluster (never production: this creates thousands of objects).")
  Path kubeconfig;

  @Option(
      names = "--operator-jar",
      defaultValue = "operator/target/drover-operator.jar",
      description = "The packaged operator (default ${DEFAULT-VALUE}).")
  Path operatorJar;

  @Option(
      names = "--threads",
      defaultValue = "50",
      description = "Client threads for plain creates and played work (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--port",
      defaultValue = "18090",
      description = "Port for the operator's /metrics (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--operator-java-options",
      split = " ",
      description = "JVM options for the operator, e.g. -Xmx256m.")
  List<String> operatorJavaOptions = List.of();

  KubernetesClient client() throws IOException {
    Config config =
        Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
    config.setMaxConcurrentRequests(threads * 2);
    config.setMaxConcurrentRequestsPerHost(threads * 2);
    // The benchmarks load the API server far beyond what the client's 10 s default expects.
    config.setRequestTimeout((int) Duration.ofMinutes(2).toMillis());
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  OperatorProcess startOperator(String namespace, Path log)
      throws IOException, InterruptedException {
    return OperatorProcess.start(
        operatorJar, operatorJavaOptions, kubeconfig, namespace, port, log);
  }

  /** Runs {@code task} for 0..count-1 on the client threads; returns how long all took. */
  Duration inParallel(int count, IntConsumer task) throws Exception {
    return inParallel(threads, count, task);
  }

  /** Runs {@code task} for 0..count-1, {@code threads} at a time; returns how long all took. */
  Duration inParallel(int threads, int count, IntConsumer task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Instant start = Instant.now();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        futures.add(pool.submit(() -> task.accept(index)));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdown();
    }
    return Duration.between(start, Instant.now());
  }

  static String namespace(KubernetesClient client, String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  static void printTable(List<String> rows) {
    System.out.println();
    System.out.println("| phase | what | result |");
    System.out.println("|---|---|---|");
    rows.forEach(System.out::println);
  }

  static String row(String phase, String what, String result) {
    return "| " + phase + " | " + what + " | " + result + " |";
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
