package dev.drover.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.runtime.HttpEndpoints;
import dev.drover.runtime.HttpPort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console with authentication off ({@code --auth none}, as run-local.sh starts it): it acts as
 * its own identity, says so, and still refuses what another site could make a browser send.
 */
@EnableKubernetesMockClient(crud = true)
class OpenConsoleTest {
  KubernetesClient client;

  private DroverConsole console;
  private HttpEndpoints endpoints;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void anOpenConsole() throws Exception {
    MockCluster.create(
        client,
        TaskRun.class,
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: busy, namespace: dev}
        spec: {selector: {matchLabels: {role: db}}, command: [sleep, "60"]}
        status: {phase: Running}
        """);
    console =
        DroverConsole.start(client, Clock.systemUTC(), true, false, false, Duration.ofSeconds(20));
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    endpoints = HttpEndpoints.bind(new HttpPort(port, true), InetAddress.getLoopbackAddress());
    console.serveOn(endpoints);
  }

  @AfterEach
  void stop() {
    endpoints.close();
    console.close();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path));
  }

  @Test
  void everyPageSaysThatAuthenticationIsOffAndNoLoginIsAsked() throws Exception {
    var page = http.send(request("/runs").build(), HttpResponse.BodyHandlers.ofString());
    var session =
        http.send(request("/api/v1/session").build(), HttpResponse.BodyHandlers.ofString());

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Authentication is off (--auth none)", "busy");
    assertThat(new ObjectMapper().readTree(session.body()).get("authentication").asText())
        .isEqualTo("none");
  }

  @Test
  void objectsWithoutASpecStillShowOnEveryPage() throws Exception {
    for (Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> kind :
        List.of(
            TaskRun.class,
            dev.drover.api.flow.TaskFlow.class,
            dev.drover.api.task.Task.class,
            dev.drover.api.schedule.ScheduledTask.class)) {
      MockCluster.create(
          client,
          kind,
          "apiVersion: drover.dev/v1alpha1\nkind: "
              + kind.getSimpleName()
              + "\nmetadata: {name: bare, namespace: dev}\n");
    }
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                http.send(request("/tasks").build(), HttpResponse.BodyHandlers.ofString())
                    .body()
                    .contains("bare"));

    for (String page :
        List.of(
            "/",
            "/runs",
            "/runs/dev/bare",
            "/flows",
            "/flows/dev/bare",
            "/tasks",
            "/tasks/dev/bare",
            "/schedules")) {
      var answer = http.send(request(page).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(page + ": " + answer.body()).isEqualTo(200);
    }
  }

  @Test
  void aChangeNeedsTheCsrfTokenEvenWithoutLogin() throws Exception {
    HttpRequest.Builder cancel =
        request("/api/v1/namespaces/dev/runs/busy/cancel")
            .POST(HttpRequest.BodyPublishers.noBody());
    var refused = http.send(cancel.build(), HttpResponse.BodyHandlers.ofString());
    String csrf =
        new ObjectMapper()
            .readTree(
                http.send(request("/api/v1/session").build(), HttpResponse.BodyHandlers.ofString())
                    .body())
            .get("csrfToken")
            .asText();
    var accepted =
        http.send(
            cancel.header("X-CSRF-Token", csrf).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    assertThat(
            client
                .resources(TaskRun.class)
                .inNamespace("dev")
                .withName("busy")
                .get()
                .getSpec()
                .cancelRequested())
        .isTrue();
  }

  @Test
  void aRequestAddressedToAnotherHostNameIsRefused() throws Exception {
    assertThat(statusLine("evil.example:" + endpoints.port())).contains(" 403 ");
    assertThat(statusLine("localhost:" + endpoints.port())).contains(" 200 ");
  }

  /**
   * The first line of the answer to a GET sent with this Host header, as a rebinding page would.
   */
  private String statusLine(String host) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), endpoints.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /api/v1/session HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return answer.lines().findFirst().orElse("");
    }
  }
}
