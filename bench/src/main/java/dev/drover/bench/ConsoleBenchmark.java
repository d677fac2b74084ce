package dev.drover.bench;

import dev.drover.api.DroverLabels;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionSpec;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The console with a big history: 10,000 TaskRuns and 100,000 TaskExecutions in the API server (no
 * operator runs: the objects are written as finished, so nothing changes them underneath), then the
 * runs page and the runs API call timed one after another, the console's memory read from /proc,
 * and the time from a status change written to the API server until the event reaches a client of
 * the console's event stream. Prints a Markdown table.
 */
@Command(
    name = "drover-bench-console",
    mixinStandardHelpOptions = true,
    description = "Measures the Drover console against 10,000 runs and 100,000 executions.")
public class ConsoleBenchmark implements Callable<Integer> {
  private static final String NAMESPACE_PREFIX = "console-bench-";
  private static final int NAMESPACES = 10;

  @Mixin BenchCluster cluster;

  @Option(
      names = "--console-jar",
      defaultValue = "console/target/drover-console.jar",
      description = "The packaged console (default ${DEFAULT-VALUE}).")
  Path consoleJar;

  @Option(
      names = "--runs",
      defaultValue = "10000",
      description = "TaskRuns (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--executions-per-run",
      defaultValue = "10",
      description = "TaskExecutions of each run (default ${DEFAULT-VALUE}).")
  int executionsPerRun;

  @Option(
      names = "--requests",
      defaultValue = "500",
      description = "Timed requests of each kind, after 50 unmeasured (default ${DEFAULT-VALUE}).")
  int requests;

  @Option(
      names = "--changes",
      defaultValue = "200",
      description = "Status changes timed to the event stream (default ${DEFAULT-VALUE}).")
  int changes;

  @Option(
      names = "--console-port",
      defaultValue = "18095",
      description = "Port of the console (default ${DEFAULT-VALUE}).")
  int consolePort;

  @Option(
      names = "--console-java-options",
      split = " ",
      description = "JVM options for the console, e.g. -Xmx384m as the chart's limit gives it.")
  List<String> consoleJavaOptions = List.of();

  @Option(
      names = "--no-fill",
      description =
          "Measure the objects an earlier run of this benchmark left in the cluster instead of"
              + " creating them.")
  boolean noFill;

  private final HttpClient http = HttpClient.newHttpClient();

  public static void main(String[] args) {
    System.exit(new CommandLine(new ConsoleBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<String> rows = new ArrayList<>();
    try (KubernetesClient client = cluster.client()) {
      if (!noFill) {
        fill(client, rows);
      }
      String token = adminToken(client);

      Path log = Files.createTempFile("drover-console-bench", ".log");
      Instant started = Instant.now();
      Process console = startConsole(log);
      try {
        awaitReady();
        rows.add(
            BenchCluster.row(
                "start",
                "console started and its informers synced (110,000 objects)",
                BenchCluster.seconds(Duration.between(started, Instant.now()))));
        String filter = "namespace=" + NAMESPACE_PREFIX + "3&phase=Failed&selector=app%3Dbench-3";
        rows.add(
            timed("runs page, 50 rows, filtered (/runs?" + filter + ")", "/runs?" + filter, token));
        rows.add(timed("API list, 50 runs, filtered", "/api/v1/runs?limit=50&" + filter, token));
        rows.add(
            timed(
                "API list, 50 runs, unfiltered (sorts all 10,000)",
                "/api/v1/runs?limit=50",
                token));
        rows.add(
            timed(
                "run page with its 10 executions",
                "/runs/" + NAMESPACE_PREFIX + "0/bench-run-10",
                token));
        rows.add(eventLatency(client, token));
        rows.add(
            BenchCluster.row(
                "memory", "console RSS after the above (VmRSS)", rss(console) + " MiB"));
        collectGarbage(console);
        rows.add(
            BenchCluster.row(
                "memory",
                "console heap used after a full GC, and RSS then",
                heapMebibytes() + " MiB heap, " + rss(console) + " MiB RSS"));
      } finally {
        console.destroy();
        console.waitFor(10, TimeUnit.SECONDS);
      }
    }
    BenchCluster.printTable(rows);
    return 0;
  }

  private void fill(KubernetesClient client, List<String> rows) throws Exception {
    for (int n = 0; n < NAMESPACES; n++) {
      BenchCluster.namespace(client, NAMESPACE_PREFIX + n);
    }
    Duration created = cluster.inParallel(runs, index -> createRun(client, index));
    rows.add(
        BenchCluster.row(
            "fill",
            runs + " TaskRuns created and their status written",
            BenchCluster.seconds(created)));
    Duration executions =
        cluster.inParallel(runs * executionsPerRun, index -> createExecution(client, index));
    rows.add(
        BenchCluster.row(
            "fill",
            runs * executionsPerRun + " TaskExecutions created",
            BenchCluster.seconds(executions)));
  }

  private static String namespaceOf(int run) {
    return NAMESPACE_PREFIX + (run % NAMESPACES);
  }

  /** Every tenth run Failed, the rest Succeeded; ten app labels. */
  private void createRun(KubernetesClient client, int index) {
    TaskRun run = new TaskRun();
    run.setMetadata(
        new ObjectMetaBuilder()
            .withName("bench-run-" + index)
            .withNamespace(namespaceOf(index))
            .withLabels(Map.of("app", "bench-" + (index / NAMESPACES % 10)))
            .build());
    run.setSpec(TaskRunSpec.builder().command(List.of("true")).build());
    client.resource(run).create();
    boolean failed = index % 10 == 3;
    String status =
        "{\"status\":{\"phase\":\"%s\",\"progress\":\"%d/%d\",\"message\":\"%s\",\"startTime\":\"%s\",\"completionTime\":\"%s\"}}"
            .formatted(
                failed ? "Failed" : "Succeeded",
                failed ? executionsPerRun - 1 : executionsPerRun,
                executionsPerRun,
                failed ? "1 target failed: disk full on host-" + index : "all targets succeeded",
                Instant.now(),
                Instant.now());
    client
        .resources(TaskRun.class)
        .inNamespace(namespaceOf(index))
        .withName("bench-run-" + index)
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), status);
  }

  private void createExecution(KubernetesClient client, int index) {
    int run = index / executionsPerRun;
    int unit = index % executionsPerRun;
    TaskExecution execution = new TaskExecution();
    execution.setMetadata(
        new ObjectMetaBuilder()
            .withName("bench-run-" + run + "-host-" + unit + "-1")
            .withNamespace(namespaceOf(run))
            .withLabels(Map.of(DroverLabels.RUN, "bench-run-" + run))
            .build());
    execution.setSpec(
        TaskExecutionSpec.builder()
            .run("bench-run-" + run)
            .unit("host-" + unit)
            .target("host-" + unit)
            .attempt(1)
            .agent("host-" + unit)
            .command(List.of("true"))
            .build());
    client.resource(execution).create();
  }

  /** A caller with every right, as a person logged in to the console would be. */
  private static String adminToken(KubernetesClient client) {
    String namespace = NAMESPACE_PREFIX + 0;
    client
        .serviceAccounts()
        .inNamespace(namespace)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("bench-admin")
                .endMetadata()
                .build())
        .createOr(existing -> existing.update());
    client
        .rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("console-bench-admin")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("bench-admin")
                .withNamespace(namespace)
                .endSubject()
                .build())
        .createOr(existing -> existing.update());
    return client
        .serviceAccounts()
        .inNamespace(namespace)
        .withName("bench-admin")
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(7200L).endSpec().build())
        .getStatus()
        .getToken();
  }

  private Process startConsole(Path log) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(consoleJavaOptions);
    command.addAll(List.of("-jar", consoleJar.toString(), "--port", String.valueOf(consolePort)));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("KUBECONFIG", cluster.kubeconfig.toString());
    return builder.start();
  }

  private void awaitReady() throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
    while (Instant.now().isBefore(deadline)) {
      try {
        if (http.send(request("/readyz", null).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // still starting
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the console did not become ready in 5 minutes");
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + consolePort + path));
    return token == null ? request : request.header("Authorization", "Bearer " + token);
  }

  /**
   * p50, p99 and max of sequential requests, after unmeasured ones that warm the JIT and caches.
   */
  private String timed(String what, String path, String token) throws Exception {
    long[] nanos = new long[requests];
    for (int i = -50; i < requests; i++) {
      long start = System.nanoTime();
      HttpResponse<String> response =
          http.send(request(path, token).build(), HttpResponse.BodyHandlers.ofString());
      long took = System.nanoTime() - start;
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            path + " answered " + response.statusCode() + ": " + response.body());
      }
      if (i >= 0) {
        nanos[i] = took;
      }
    }
    return BenchCluster.row("request", what, percentiles(nanos));
  }

  /**
   * From a status patch sent to the API server until the change arrives on an event stream the
   * console serves, one change at a time.
   */
  private String eventLatency(KubernetesClient client, String token) throws Exception {
    BlockingQueue<Map.Entry<String, Long>> arrivals = new LinkedBlockingQueue<>();
    HttpResponse<java.io.InputStream> stream =
        http.send(
            request("/api/v1/events?kinds=TaskRun", token).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  int at = line.indexOf("\"name\":\"");
                  if (line.startsWith("data:") && at >= 0) {
                    String name = line.substring(at + 8, line.indexOf('"', at + 8));
                    arrivals.add(Map.entry(name, System.nanoTime()));
                  }
                }
              } catch (java.io.IOException closed) {
                // the benchmark is over
              }
            });
    reader.setDaemon(true);
    reader.start();
    long[] nanos = new long[changes];
    for (int i = 0; i < changes; i++) {
      int index = runs - 1 - i;
      String name = "bench-run-" + index;
      long sent = System.nanoTime();
      client
          .resources(TaskRun.class)
          .inNamespace(namespaceOf(index))
          .withName(name)
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"status\":{\"message\":\"changed at " + sent + "\"}}");
      Map.Entry<String, Long> arrival;
      do {
        arrival = arrivals.poll(10, TimeUnit.SECONDS);
        if (arrival == null) {
          throw new IllegalStateException("no event for " + name + " within 10 s");
        }
      } while (!arrival.getKey().equals(name));
      nanos[i] = arrival.getValue() - sent;
    }
    stream.body().close();
    return BenchCluster.row(
        "live", "status change in the API server → event at an SSE client", percentiles(nanos));
  }

  private static String percentiles(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format(
        Locale.ROOT,
        "p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)",
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6,
        sorted[sorted.length - 1] / 1e6,
        sorted.length);
  }

  /** A full collection in the console, so that the heap figure is what the objects hold. */
  private static void collectGarbage(Process console) throws Exception {
    Path jcmd =
        Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
    Process gc =
        new ProcessBuilder(jcmd.toString(), String.valueOf(console.pid()), "GC.run")
            .redirectErrorStream(true)
            .start();
    gc.getInputStream().readAllBytes();
    gc.waitFor();
  }

  private long heapMebibytes() throws Exception {
    String metrics =
        http.send(request("/metrics", null).build(), HttpResponse.BodyHandlers.ofString()).body();
    return (long)
        (OperatorProcess.value(metrics, "jvm_memory_used_bytes", "area=\"heap\"") / (1024 * 1024));
  }

  private static long rss(Process process) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return -1;
  }
}
