package dev.drover.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {
  private static final HealthCheck OK = Health::ok;

  @Test
  void probesAnswer200AndStatusOkWhileTheirCheckFindsNoProblem() throws Exception {
    try (HttpEndpoints endpoints = HttpEndpoints.bind(anyPort()).serve(OK, OK, () -> "")) {
      for (String probe : List.of("/healthz", "/readyz")) {
        HttpResponse<String> response = get(endpoints, probe);

        assertThat(response.statusCode()).as(probe).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).as(probe).isEqualTo("{\"status\":\"ok\"}\n");
      }
    }
  }

  @Test
  void aProbeAnswers503WithTheProblemsItsCheckFound() throws Exception {
    HealthCheck notReady =
        () -> new Health(List.of("API server unreachable", "informer \"pods\" not watching"));
    try (HttpEndpoints endpoints = HttpEndpoints.bind(anyPort()).serve(OK, notReady, () -> "")) {
      HttpResponse<String> readiness = get(endpoints, "/readyz");

      assertThat(readiness.statusCode()).isEqualTo(503);
      assertThat(readiness.body())
          .isEqualTo(
              "{\"status\":\"failing\",\"problems\":[\"API server unreachable\","
                  + "\"informer \\\"pods\\\" not watching\"]}\n");
      assertThat(get(endpoints, "/healthz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void metricsAreServedInThePrometheusTextFormat() throws Exception {
    try (HttpEndpoints endpoints =
        HttpEndpoints.bind(anyPort()).serve(OK, OK, () -> "drover_up 1\n")) {
      HttpResponse<String> response = get(endpoints, "/metrics");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(response.body()).isEqualTo("drover_up 1\n");
    }
  }

  @Test
  void aTakenDefaultPortGivesWayToAFreeOneAndOneLineSaysWhich() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      HttpEndpoints endpoints;
      PrintStream stderr = System.err;
      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      try {
        endpoints = HttpEndpoints.bind(HttpPort.of(null, port)).serve(OK, OK, () -> "");
      } finally {
        System.setErr(stderr);
      }

      try (endpoints) {
        assertThat(endpoints.port()).isNotEqualTo(port);
        assertThat(get(endpoints, "/readyz").statusCode()).isEqualTo(200);
        assertThat(log.toString(StandardCharsets.UTF_8).lines())
            .singleElement()
            .asString()
            .endsWith(
                "Port %d is in use; serving /healthz, /readyz and /metrics on port %d instead"
                        .formatted(port, endpoints.port())
                    + " (choose one with --port)");
      }
    }
  }

  @Test
  void aRouteOfTheProcessIsServedBesideTheProbesAndALongRequestHoldsUpNoProbe() throws Exception {
    CountDownLatch released = new CountDownLatch(1);
    HttpHandler slow =
        exchange -> {
          try {
            released.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body = "done".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        };
    try (HttpEndpoints endpoints =
        HttpEndpoints.bind(anyPort()).route("/slow", slow).serve(OK, OK, () -> "")) {
      CompletableFuture<HttpResponse<String>> waiting =
          HttpClient.newHttpClient()
              .sendAsync(
                  HttpRequest.newBuilder(
                          URI.create("http://localhost:" + endpoints.port() + "/slow"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(get(endpoints, "/healthz").statusCode()).isEqualTo(200);
      assertThat(waiting).isNotDone();
      released.countDown();
      assertThat(waiting.get(10, TimeUnit.SECONDS).body()).isEqualTo("done");
    }
  }

  @Test
  void aFreeDefaultPortIsServedAsIs() throws Exception {
    int free = freePort();
    try (HttpEndpoints endpoints =
        HttpEndpoints.bind(HttpPort.of(null, free)).serve(OK, OK, () -> "")) {
      assertThat(endpoints.port()).isEqualTo(free);
    }
  }

  @Test
  void aTakenChosenPortIsAnErrorNamingThePortAndTheFlag() throws IOException {
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> HttpEndpoints.bind(HttpPort.of(port, 8081)))
          .isInstanceOf(PortInUseException.class)
          .hasMessage(
              "Port %d is in use: stop what holds it or choose another with --port (0 turns the"
                  + " endpoints off).",
              port);
    }
  }

  @Test
  void portZeroTurnsTheEndpointsOff() throws IOException {
    try (HttpEndpoints endpoints =
        HttpEndpoints.bind(HttpPort.of(0, 8081)).serve(OK, OK, () -> "")) {
      assertThat(endpoints.port()).isZero();
    }
  }

  /** A free port, chosen: these tests do not mind which. */
  private static HttpPort anyPort() throws IOException {
    return HttpPort.of(freePort(), 0);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static HttpResponse<String> get(HttpEndpoints endpoints, String path)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + endpoints.port() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
