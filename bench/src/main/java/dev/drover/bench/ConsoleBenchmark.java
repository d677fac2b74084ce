package dev.drover.bench;

import dev.drover.api.taskrun.TaskRun;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
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

  public static void main(String[] args) {
    System.exit(new CommandLine(new ConsoleBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<String> rows = new ArrayList<>();
    try (KubernetesClient client = cluster.client()) {
      if (!noFill) {
        new ConsoleHistory(cluster, runs, executionsPerRun).fill(client, rows);
      }
      String token = ConsoleHistory.adminToken(client);
      Path log = Files.createTempFile("drover-console-bench", ".log");
      Instant started = Instant.now();
      try (ConsoleProcess console =
          ConsoleProcess.start(
              consoleJar, consoleJavaOptions, cluster.kubeconfig, consolePort, log)) {
        console.awaitReady();
        rows.add(
            BenchCluster.row(
                "start",
                "console started and its informers synced ("
                    + runs * (1 + executionsPerRun)
                    + " objects)",
                BenchCluster.seconds(Duration.between(started, Instant.now()))));
        measure(console, client, token, rows);
      }
    }
    BenchCluster.printTable(rows);
    return 0;
  }

  private void measure(
      ConsoleProcess console, KubernetesClient client, String token, List<String> rows)
      throws Exception {
    String filter =
        "namespace=" + ConsoleHistory.NAMESPACE_PREFIX + "3&phase=Failed&selector=app%3Dbench-3";
    rows.add(
        timed(
            console,
            "runs page, 50 rows, filtered (/runs?" + filter + ")",
            "/runs?" + filter,
            token));
    rows.add(
        timed(console, "API list, 50 runs, filtered", "/api/v1/runs?limit=50&" + filter, token));
    rows.add(
        timed(
            console,
            "API list, 50 runs, unfiltered (sorts all " + runs + ")",
            "/api/v1/runs?limit=50",
            token));
    rows.add(
        timed(
            console,
            "run page with its " + executionsPerRun + " executions",
            "/runs/" + ConsoleHistory.NAMESPACE_PREFIX + "0/bench-run-10",
            token));
    rows.add(eventLatency(console, client, token));
    rows.add(
        BenchCluster.row("memory", "console RSS after the above (VmRSS)", console.rss() + " MiB"));
    console.collectGarbage();
    rows.add(
        BenchCluster.row(
            "memory",
            "console heap used after a full GC, and RSS then",
            console.heapMebibytes() + " MiB heap, " + console.rss() + " MiB RSS"));
  }

  /**
   * p50, p99 and max of sequential requests, after unmeasured ones that warm the JIT and caches.
   */
  private String timed(ConsoleProcess console, String what, String path, String token)
      throws Exception {
    long[] nanos = new long[requests];
    for (int i = -50; i < requests; i++) {
      long start = System.nanoTime();
      HttpResponse<String> response =
          console
              .http()
              .send(console.request(path, token).build(), HttpResponse.BodyHandlers.ofString());
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
  private String eventLatency(ConsoleProcess console, KubernetesClient client, String token)
      throws Exception {
    BlockingQueue<Map.Entry<String, Long>> arrivals = new LinkedBlockingQueue<>();
    HttpResponse<java.io.InputStream> stream =
        console
            .http()
            .send(
                console.request("/api/v1/events?kinds=TaskRun", token).build(),
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
          .inNamespace(ConsoleHistory.namespaceOf(index))
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
}
