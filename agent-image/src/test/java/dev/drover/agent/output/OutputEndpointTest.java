package dev.drover.agent.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.drover.agent.output.CallerCheck.Outcome;
import dev.drover.agent.output.CallerCheck.Verdict;
import dev.drover.agent.process.OutputSink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output endpoint over real HTTP, with a caller check that knows two tokens. */
class OutputEndpointTest {
  private static final String READER = "reader-token";
  private static final String STRANGER = "stranger-token";

  @TempDir Path dir;
  private OutputStore store;
  private HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void serve() throws IOException {
    store =
        new OutputStore(
            new OutputSettings(dir, 1024, 4096, Duration.ofSeconds(5)),
            Clock.fixed(Instant.parse("2026-11-28T10:15:30.250Z"), ZoneOffset.UTC));
    CallerCheck callers =
        (token, namespace) ->
            switch (token == null ? "" : token) {
              case READER -> Verdict.allowed();
              case STRANGER ->
                  new Verdict(Outcome.FORBIDDEN, "stranger may not get taskexecutions in ops");
              default -> new Verdict(Outcome.UNAUTHENTICATED, "a bearer token is required");
            };
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(OutputEndpoint.PATH, new OutputEndpoint(store, callers));
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
  }

  private HttpResponse<String> get(String pathAndQuery, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void finished(String name, String text) {
    OutputSink sink = store.record("ops", name);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    sink.write(bytes, bytes.length);
    sink.close();
  }

  @Test
  void theWholeOutputOrPartOfItGoesToAnAllowedCaller() throws Exception {
    finished("scan", "line one\nline two\n");

    HttpResponse<String> whole = get("/v1/namespaces/ops/executions/scan/output", READER);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo("line one\nline two\n");
    assertThat(whole.headers().firstValue("X-Drover-Output-Complete")).hasValue("true");
    assertThat(whole.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(get("/v1/namespaces/ops/executions/scan/output?offset=9", READER).body())
        .isEqualTo("line two\n");
    assertThat(get("/v1/namespaces/ops/executions/scan/output?offset=-4", READER).body())
        .isEqualTo("two\n");
    assertThat(get("/v1/namespaces/ops/executions/scan/output?timestamps=true", READER).body())
        .isEqualTo("2026-11-28T10:15:30.250Z line one\n2026-11-28T10:15:30.250Z line two\n");
  }

  @Test
  void aTokenThroughTheApiServersPodProxyComesInItsOwnHeader() throws Exception {
    finished("scan", "hello\n");

    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/v1/namespaces/ops/executions/scan/output"))
                .header("X-Drover-Token", READER)
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("hello\n");
  }

  @Test
  void callersWithoutATokenOrTheRightAreRefusedBeforeAnythingIsLookedUp() throws Exception {
    finished("scan", "secret\n");

    HttpResponse<String> anonymous = get("/v1/namespaces/ops/executions/scan/output", null);
    HttpResponse<String> stranger = get("/v1/namespaces/ops/executions/scan/output", STRANGER);
    HttpResponse<String> strangerAsksForNothing =
        get("/v1/namespaces/ops/executions/none/output", STRANGER);

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).isEqualTo("{\"error\":\"a bearer token is required\"}");
    assertThat(stranger.statusCode()).isEqualTo(403);
    assertThat(stranger.body()).doesNotContain("secret");
    assertThat(strangerAsksForNothing.statusCode()).isEqualTo(403);
  }

  @Test
  void badRequestsGetOneSentenceOfJson() throws Exception {
    finished("scan", "x\n");

    assertThat(get("/v1/namespaces/ops/executions/scan/output?offset=abc", READER))
        .satisfies(
            r -> {
              assertThat(r.statusCode()).isEqualTo(400);
              assertThat(r.body())
                  .isEqualTo(
                      "{\"error\":\"offset must be a whole number of bytes (negative: from the"
                          + " end), got \\\"abc\\\"\"}");
            });
    assertThat(get("/v1/namespaces/ops/executions/scan/output?lines=3", READER).statusCode())
        .isEqualTo(400);
    assertThat(get("/v1/namespaces/ops/executions/scan/output?follow=maybe", READER).statusCode())
        .isEqualTo(400);
    assertThat(get("/v1/namespaces/ops/executions/missing/output", READER))
        .satisfies(
            r -> {
              assertThat(r.statusCode()).isEqualTo(404);
              assertThat(r.body()).contains("this agent holds no output of execution ops/missing");
            });
    assertThat(get("/v1/namespaces/ops/executions/scan/logs", READER).statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(uri("/v1/namespaces/ops/executions/scan/output"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + READER)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void aFollowedOutputArrivesAsItIsWrittenAndEndsWhenTheProcessEnds() throws Exception {
    OutputSink sink = store.record("ops", "ticker");
    sink.write("tick 1\n".getBytes(StandardCharsets.UTF_8), 7);
    HttpResponse<java.io.InputStream> response =
        http.send(
            HttpRequest.newBuilder(uri("/v1/namespaces/ops/executions/ticker/output?follow=true"))
                .header("Authorization", "Bearer " + READER)
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.headers().firstValue("X-Drover-Output-Complete")).hasValue("false");
    List<String> received = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(received::add);
                received.add("<end>");
              } catch (IOException e) {
                received.add("<broken: " + e + ">");
              }
            });
    reader.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("tick 1"));
    sink.write("tick 2\n".getBytes(StandardCharsets.UTF_8), 7);
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("tick 2"));
    assertThat(received).doesNotContain("<end>");
    sink.close();

    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("<end>"));
    assertThat(received).containsExactly("tick 1", "tick 2", "<end>");
  }
}
