package dev.drover.cli.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.drover.api.agent.Agent;
import dev.drover.api.execution.TaskExecution;
import dev.drover.cli.CliRun;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code logs} against an agent played by a small HTTP server, and when the agent says no. */
@EnableKubernetesMockClient(crud = true)
class LogsTest {
  private static final String TOKEN = "secret";

  KubernetesClient client;
  private HttpServer agent;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final CountDownLatch released = new CountDownLatch(1);

  /** What the played agent answers for one execution. */
  private record Answer(int status, String body, String afterRelease) {}

  @BeforeEach
  void playAnAgent() throws IOException {
    agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    agent.setExecutor(Executors.newCachedThreadPool());
    agent.createContext("/v1/", this::answer);
    agent.start();
  }

  @AfterEach
  void stop() {
    released.countDown();
    agent.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    String execution = exchange.getRequestURI().getPath().split("/")[5];
    Answer answer = answers.get(execution);
    boolean authorised =
        ("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
    int status = !authorised ? 401 : answer.status();
    exchange.sendResponseHeaders(status, 0);
    try (OutputStream body = exchange.getResponseBody()) {
      body.write(
          (status == 200 ? answer.body() : "{\"error\":\"" + answer.body() + "\"}")
              .getBytes(StandardCharsets.UTF_8));
      body.flush();
      if (answer.afterRelease() != null) {
        released.await();
        body.write(answer.afterRelease().getBytes(StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void agentAt(String name, String address) {
    client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: drover.dev/v1alpha1
                kind: Agent
                metadata: {name: %s}
                spec: {capacity: 2, namespaces: [test]}
                status: {address: "%s", port: 8081}
                """
                    .formatted(name, address),
                Agent.class))
        .create();
  }

  private void execution(String name, String agentName, String target, String phase, String tail) {
    client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: drover.dev/v1alpha1
                kind: TaskExecution
                metadata: {name: %s, namespace: test, labels: {drover.dev/run: backup, drover.dev/agent: %s}}
                spec: {run: backup, unit: %s, target: %s, attempt: 1, agent: %s}
                status: {phase: %s, message: "%s"}
                """
                    .formatted(name, agentName, target, target, agentName, phase, tail),
                TaskExecution.class))
        .create();
  }

  private String address() {
    return "http://127.0.0.1:" + agent.getAddress().getPort();
  }

  @Test
  void theWholeOutputComesFromTheAgentAndTailCutsItToTheLastLines() {
    agentAt("web-1", address());
    execution("backup-web-1-1", "web-1", "web-1", "Succeeded", "line 3\\n");
    answers.put("backup-web-1-1", new Answer(200, "line 1\nline 2\nline 3\n", null));

    var whole = CliRun.of(client, "logs", "backup", "--token", TOKEN);
    var tail = CliRun.of(client, "logs", "backup", "--token", TOKEN, "--tail", "2");

    assertThat(whole.exitCode()).isZero();
    assertThat(whole.out()).isEqualTo("line 1\nline 2\nline 3\n");
    assertThat(whole.err()).isEmpty();
    assertThat(tail.out()).isEqualTo("line 2\nline 3\n");
  }

  @Test
  void severalTargetsArePrefixedLineByLine() {
    agentAt("web-1", address());
    agentAt("web-2", address());
    execution("backup-web-1-1", "web-1", "web-1", "Succeeded", "");
    execution("backup-web-2-1", "web-2", "web-2", "Failed", "");
    answers.put("backup-web-1-1", new Answer(200, "ok\n", null));
    answers.put("backup-web-2-1", new Answer(200, "disk full\n", null));

    assertThat(CliRun.of(client, "logs", "backup", "--token", TOKEN).out())
        .isEqualTo("[web-1] ok\n[web-2] disk full\n");
    assertThat(CliRun.of(client, "logs", "backup", "--token", TOKEN, "--failed").out())
        .isEqualTo("disk full\n");
  }

  @Test
  void anAgentThatRefusesOrCannotBeReachedLeavesANoticeAndTheTailInStatus() throws IOException {
    agentAt("web-1", address());
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    agentAt("web-2", "http://127.0.0.1:" + closedPort);
    execution("backup-web-1-1", "web-1", "web-1", "Succeeded", "tail of web-1\\n");
    execution("backup-web-2-1", "web-2", "web-2", "Succeeded", "tail of web-2\\n");
    answers.put("backup-web-1-1", new Answer(403, "ops may not get taskexecutions", null));

    var refused = CliRun.of(client, "logs", "backup", "--token", TOKEN, "--target", "web-1");
    var down = CliRun.of(client, "logs", "backup", "--token", TOKEN, "--target", "web-2");

    assertThat(refused.exitCode()).isZero();
    assertThat(refused.err())
        .isEqualTo(
            "notice: agent web-1 answered 403: ops may not get taskexecutions; showing the last 4"
                + " KiB kept in status\n");
    assertThat(refused.out()).isEqualTo("tail of web-1\n");
    assertThat(down.err())
        .startsWith("notice: agent web-2 not reachable (")
        .endsWith("); showing the last 4 KiB kept in status\n");
    assertThat(down.out()).isEqualTo("tail of web-2\n");
  }

  @Test
  void followPrintsWhatArrivesBeforeTheCommandEnds() {
    agentAt("web-1", address());
    execution("backup-web-1-1", "web-1", "web-1", "Running", "");
    answers.put("backup-web-1-1", new Answer(200, "first\n", "second\n"));

    var following = CliRun.start(client, "logs", "backup", "-f", "--token", TOKEN);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> following.out().toString().equals("first\n"));
    assertThat(following.exit()).isNotDone();
    released.countDown();
    var ended = following.exit().join();
    assertThat(ended.exitCode()).isZero();
    assertThat(ended.out()).isEqualTo("first\nsecond\n");
  }
}
