package dev.drover.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged operator as a separate process, observed through its /metrics and /proc. */
final class OperatorProcess implements AutoCloseable {
  private static final long CLOCK_TICKS_PER_SECOND = 100;
  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private OperatorProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static OperatorProcess start(
      Path jar, List<String> javaOptions, Path kubeconfig, String namespace, int port, Path log)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(javaOptions);
    command.addAll(
        List.of("-jar", jar.toString(), "--namespaces", namespace, "--port", String.valueOf(port)));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    OperatorProcess operator = new OperatorProcess(builder.start(), port);
    Instant deadline = Instant.now().plusSeconds(600);
    while (!operator.ready()) {
      if (Instant.now().isAfter(deadline) || !operator.process.isAlive()) {
        operator.process.destroy();
        throw new IllegalStateException("the operator did not become ready; see " + log);
      }
      Thread.sleep(200);
    }
    return operator;
  }

  private boolean ready() {
    try {
      return http.send(request("/readyz"), HttpResponse.BodyHandlers.discarding()).statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  String metrics() throws IOException, InterruptedException {
    return http.send(request("/metrics"), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** A sample's value, or 0 when the metric has no sample yet. */
  static double value(String metrics, String name, String labelFilter) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$")
            .matcher(metrics);
    double total = 0;
    while (m.find()) {
      if (labelFilter == null || (m.group(1) != null && m.group(1).contains(labelFilter))) {
        total += Double.parseDouble(m.group(2));
      }
    }
    return total;
  }

  /**
   * The quantile of a timer from its cumulative histogram buckets: the upper bound of the first
   * bucket holding that share of all samples (so "p99 ≤ this"), in seconds.
   */
  static double quantileFromBuckets(String metrics, String timer, double quantile) {
    Matcher m =
        Pattern.compile(
                "(?m)^"
                    + Pattern.quote(timer + "_bucket")
                    + "\\{le=\"([^\"]+)\"[^}]*\\} ([0-9.eE+-]+)$")
            .matcher(metrics);
    double total = value(metrics, timer + "_count", null);
    while (m.find()) {
      if (Double.parseDouble(m.group(2)) >= quantile * total) {
        return m.group(1).equals("+Inf")
            ? Double.POSITIVE_INFINITY
            : Double.parseDouble(m.group(1));
      }
    }
    return Double.NaN;
  }

  long pid() {
    return process.pid();
  }

  /** Heap in use now, in MiB, as the operator's own metric reports it. */
  long heapMebibytes() throws IOException, InterruptedException {
    return (long) (value(metrics(), "jvm_memory_used_bytes", "area=\"heap\"") / (1024 * 1024));
  }

  /** Heap in use right after a full collection, in MiB: what the operator's objects hold. */
  long heapAfterFullGc() throws IOException, InterruptedException {
    JvmMemory.collectGarbage(process.pid());
    return heapMebibytes();
  }

  /** User plus system CPU time the operator has used so far. */
  Duration cpuTime() throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
    List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
    long ticks = Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12));
    return Duration.ofMillis(ticks * 1000 / CLOCK_TICKS_PER_SECOND);
  }

  /** The operator's resident set size. */
  long residentBytes() throws IOException {
    return residentBytes(process.pid());
  }

  /** A process's resident set size, from /proc. */
  static long residentBytes(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmRSS for process " + pid);
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
