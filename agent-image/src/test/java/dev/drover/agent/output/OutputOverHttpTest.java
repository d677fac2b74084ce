package dev.drover.agent.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drover.agent.process.CommandLine;
import dev.drover.agent.process.ProcessOutcome;
import dev.drover.agent.process.ProcessRunner;
import dev.drover.runtime.Health;
import dev.drover.runtime.HttpEndpoints;
import dev.drover.runtime.HttpPort;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's HTTP endpoints with the output route, a real process writing output, and the API
 * server (mocked) deciding who the callers are and what they may get.
 */
@EnableKubernetesMockClient
class OutputOverHttpTest {
  private static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
  private static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  /** Tokens the API server knows, and whose they are; only alice may get executions. */
  private static final Map<String, String> USERS =
      Map.of("alice-token", "alice", "bob-token", "bob");

  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir Path dir;
  private OutputStore store;
  private HttpEndpoints endpoints;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void serve() throws IOException {
    server
        .expect()
        .post()
        .withPath(TOKEN_REVIEWS)
        .andReply(201, OutputOverHttpTest::reviewToken)
        .always();
    server
        .expect()
        .post()
        .withPath(ACCESS_REVIEWS)
        .andReply(201, OutputOverHttpTest::reviewAccess)
        .always();
    store =
        new OutputStore(
            new OutputSettings(dir, 1024 * 1024, 4 * 1024 * 1024, Duration.ofSeconds(5)),
            Clock.systemUTC());
    endpoints =
        HttpEndpoints.bind(HttpPort.of(freePort(), 0))
            .route(
                OutputEndpoint.PATH,
                new OutputEndpoint(store, new KubernetesCallerCheck(client, Clock.systemUTC())))
            .serve(Health::ok, Health::ok, () -> "");
  }

  @AfterEach
  void stop() {
    endpoints.close();
  }

  private static TokenReview reviewToken(RecordedRequest request) {
    String token =
        Serialization.unmarshal(request.getBody().readUtf8(), TokenReview.class)
            .getSpec()
            .getToken();
    String user = USERS.get(token);
    return new TokenReviewBuilder()
        .withNewStatus()
        .withAuthenticated(user != null)
        .withNewUser()
        .withUsername(user)
        .endUser()
        .endStatus()
        .build();
  }

  private static SubjectAccessReview reviewAccess(RecordedRequest request) {
    SubjectAccessReview asked =
        Serialization.unmarshal(request.getBody().readUtf8(), SubjectAccessReview.class);
    boolean allowed =
        "alice".equals(asked.getSpec().getUser())
            && "taskexecutions".equals(asked.getSpec().getResourceAttributes().getResource());
    return new SubjectAccessReviewBuilder()
        .withNewStatus()
        .withAllowed(allowed)
        .endStatus()
        .build();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + endpoints.port() + pathAndQuery));
  }

  private HttpResponse<String> get(String pathAndQuery, String token) throws Exception {
    HttpRequest.Builder request = request(pathAndQuery);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Runs a shell script as the agent runs a command, its output going to the store. */
  private CompletableFuture<ProcessOutcome> run(String name, String script) {
    CommandLine command =
        new CommandLine(List.of("/bin/sh", "-c", script), Map.of(), dir.resolve(name + ".result"));
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new ProcessRunner(4096)
                .run(command, dir.toString(), null, store.record("ops", name), pid -> {});
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void aFollowedOutputDeliversEachLineWhileTheProcessStillRunsAndEndsWithIt() throws Exception {
    CompletableFuture<ProcessOutcome> ticker =
        run(
            "ticker",
            "i=0; until [ -e go ]; do i=$((i+1)); echo tick $i; sleep 0.2; done; echo end");
    await().atMost(PATIENCE).until(() -> store.find("ops", "ticker").isPresent());

    HttpResponse<InputStream> response =
        http.send(
            request("/v1/namespaces/ops/executions/ticker/output?follow=true")
                .header("X-Drover-Token", "alice-token")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    List<String> received = ArrivingLines.of(response.body());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Drover-Output-Complete")).hasValue("false");
    await().atMost(PATIENCE).until(() -> received.contains("tick 1"));
    assertThat(ticker).as("the process still runs").isNotDone();
    assertThat(get("/healthz", null).statusCode())
        .as("probes answer beside a follow")
        .isEqualTo(200);

    Files.createFile(dir.resolve("go"));
    await().atMost(PATIENCE).until(() -> received.contains(ArrivingLines.END));
    assertThat(ticker).isDone();
    assertThat(received).startsWith("tick 1").endsWith("end", ArrivingLines.END);
    assertThat(get("/v1/namespaces/ops/executions/ticker/output?offset=-4", "alice-token"))
        .satisfies(
            whole -> {
              assertThat(whole.body()).isEqualTo("end\n");
              assertThat(whole.headers().firstValue("X-Drover-Output-Complete")).hasValue("true");
            });
  }

  @Test
  void theApiServerSaysWhoMayRead() throws Exception {
    run("scan", "echo found").join();
    String output = "/v1/namespaces/ops/executions/scan/output";

    assertThat(get(output, null).statusCode()).isEqualTo(401);
    assertThat(get(output, "forged-token"))
        .satisfies(
            r -> {
              assertThat(r.statusCode()).isEqualTo(401);
              assertThat(r.body())
                  .isEqualTo("{\"error\":\"the API server does not accept this token\"}");
            });
    assertThat(get(output, "bob-token"))
        .satisfies(
            r -> {
              assertThat(r.statusCode()).isEqualTo(403);
              assertThat(r.body())
                  .isEqualTo(
                      "{\"error\":\"bob may not get taskexecutions.drover.dev in namespace"
                          + " ops\"}");
            });
    assertThat(get(output, "alice-token"))
        .satisfies(
            r -> {
              assertThat(r.statusCode()).isEqualTo(200);
              assertThat(r.body()).isEqualTo("found\n");
            });
  }

  @Test
  void aCallerWithoutATokenLearnsNothingElseFirst() throws Exception {
    assertThat(get("/v1/namespaces/ops/executions/none/output?offset=abc", null).statusCode())
        .isEqualTo(401);
    assertThat(get("/v1/namespaces/ops/executions/none/output?offset=abc", "alice-token"))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(400);
    assertThat(get("/v1/namespaces/ops/executions/none/output", "alice-token"))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(404);
  }
}
