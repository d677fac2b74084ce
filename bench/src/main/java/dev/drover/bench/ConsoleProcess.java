package dev.drover.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged console as a separate process: its requests, its memory from /proc and jcmd. */
final class ConsoleProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private ConsoleProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  HttpClient http() {
    return http;
  }

  static ConsoleProcess start(
      Path jar, List<String> javaOptions, Path kubeconfig, int port, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(javaOptions);
    command.addAll(List.of("-jar", jar.toString(), "--port", String.valueOf(port)));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    return new ConsoleProcess(builder.start(), port);
  }

  void awaitReady() throws Exception {
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

  HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    return token == null ? request : request.header("Authorization", "Bearer " + token);
  }

  /** A full collection in the console, so that the heap figure is what the objects hold. */
  void collectGarbage() throws Exception {
    JvmMemory.collectGarbage(process.pid());
  }

  long heapMebibytes() throws Exception {
    String metrics =
        http.send(request("/metrics", null).build(), HttpResponse.BodyHandlers.ofString()).body();
    return (long)
        (OperatorProcess.value(metrics, "jvm_memory_used_bytes", "area=\"heap\"") / (1024 * 1024));
  }

  /** VmRSS in MiB. */
  long rss() throws Exception {
    return JvmMemory.rssMebibytes(process.pid());
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
