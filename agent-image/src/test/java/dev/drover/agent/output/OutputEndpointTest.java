package dev.drover.agent.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.drover.agent.fencing.ManualTime;
import dev.drover.agent.output.CallerCheck.Outcome;
import dev.drover.agent.output.CallerCheck.Verdict;
import dev.drover.agent.process.OutputSink;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
  private final ManualTime time = new ManualTime();
  private OutputStore store;
  private HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void serve() throws IOException {
    store = new OutputStore(new OutputSettings(dir, 1024, 4096, Duration.ofSeconds(5)), time);
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
    write(sink, text);
    sink.close();
  }

  private static void write(OutputSink sink, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    sink.write(bytes, bytes.length);
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
  }

  @Test
  void withTimestampsEachLineStartsWithTheTimeOfTheChunkItBeganIn() throws Exception {
    OutputSink sink = store.record("ops", "dated");
    write(sink, "one\ntw");
    time.advance(Duration.ofMillis(1500));
    write(sink, "o\nthree\n");
    sink.close();

    assertThat(get("/v1/namespaces/ops/executions/dated/output?timestamps=true", READER).body())
        .isEqualTo(
            "2026-01-01T00:00:00.000Z one\n"
                + "2026-01-01T00:00:00.000Z two\n"
                + "2026-01-01T00:00:01.500Z three\n");
    assertThat(
            get("/v1/namespaces/ops/executions/dated/output?timestamps=true&offset=5", READER)
                .body())
        .as("a line cut by the offset is not dated")
        .isEqualTo("wo\n2026-01-01T00:00:01.500Z three\n");
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
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
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
    write(sink, "tick 1\n");
    HttpResponse<InputStream> response = follow("ticker");
    assertThat(response.headers().firstValue("X-Drover-Output-Complete")).hasValue("false");
    List<String> received = ArrivingLines.of(response.body());

    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("tick 1"));
    write(sink, "tick 2\n");
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("tick 2"));
    assertThat(received).doesNotContain(ArrivingLines.END);
    sink.close();

    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(ArrivingLines.END));
    assertThat(received).containsExactly("tick 1", "tick 2", ArrivingLines.END);
  }

  @Test
  void aFollowedOutputEndsWhenItsFileIsRemoved() throws Exception {
    OutputSink sink = store.record("ops", "doomed");
    write(sink, "still here\n");
    List<String> received = ArrivingLines.of(follow("doomed").body());
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("still here"));

    Files.delete(dir.resolve("ops").resolve("doomed.log"));

    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(ArrivingLines.END));
    sink.close();
  }

  private HttpResponse<InputStream> follow(String name) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri("/v1/namespaces/ops/executions/" + name + "/output?follow=true"))
            .header("Authorization", "Bearer " + READER)
            .build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }
}
