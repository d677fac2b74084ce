package dev.drover.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.drover.runtime.Health;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiServerReachabilityTest {
  private final AtomicInteger versionRequests = new AtomicInteger();
  private HttpServer apiServer;

  @AfterEach
  void stopApiServer() {
    if (apiServer != null) {
      apiServer.stop(0);
    }
  }

  @Test
  void okWhileTheApiServerAnswers() throws IOException {
    try (KubernetesClient client = clientOf(apiServerAnswering(200))) {
      assertThat(new ApiServerReachability(client, Clock.systemUTC()).check())
          .isEqualTo(Health.ok());
    }
  }

  @Test
  void failingWhileTheApiServerAnswersWithAnError() throws IOException {
    try (KubernetesClient client = clientOf(apiServerAnswering(403))) {
      assertThat(new ApiServerReachability(client, Clock.systemUTC()).check().problems())
          .containsExactly("the API server answered GET /version with HTTP 403");
    }
  }

  @Test
  void failingWithinTheTimeoutWhenNothingListens() throws IOException {
    try (KubernetesClient client = clientOf(closedPort())) {
      Instant asked = Instant.now();

      Health health = new ApiServerReachability(client, Clock.systemUTC()).check();

      assertThat(Duration.between(asked, Instant.now()))
          .isLessThan(ApiServerReachability.TIMEOUT.plusSeconds(1));
      assertThat(health.problems()).singleElement().asString().startsWith("the API server ");
    }
  }

  @Test
  void anAnswerIsReusedForASecondSoProbesNeverPileUpRequests() throws IOException {
    try (KubernetesClient client = clientOf(apiServerAnswering(200))) {
      ManualClock clock = new ManualClock();
      ApiServerReachability reachability = new ApiServerReachability(client, clock);

      reachability.check();
      clock.advance(ApiServerReachability.REUSED_FOR.minusMillis(1));
      reachability.check();
      assertThat(versionRequests).hasValue(1);

      clock.advance(Duration.ofMillis(1));
      reachability.check();
      assertThat(versionRequests).hasValue(2);
    }
  }

  /** An API server that answers only GET /version, with {@code status}; returns its port. */
  private int apiServerAnswering(int status) throws IOException {
    apiServer = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    apiServer.createContext(
        "/version",
        exchange -> {
          versionRequests.incrementAndGet();
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    apiServer.start();
    return apiServer.getAddress().getPort();
  }

  private static KubernetesClient clientOf(int port) {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder().withMasterUrl("http://localhost:" + port).build())
        .build();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
