package dev.drover.console;

import static dev.drover.console.MockCluster.ADMIN;
import static dev.drover.console.MockCluster.ALICE;
import static dev.drover.console.MockCluster.BOB;
import static dev.drover.console.MockCluster.CAROL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.api.DroverLabels;
import dev.drover.api.agent.Agent;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.schedule.ScheduledTask;
import dev.drover.api.task.Task;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.runtime.HttpEndpoints;
import dev.drover.runtime.HttpPort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of the console's API against the mock API server in CRUD mode, with callers judged
 * by TokenReview and SubjectAccessReview answers: alice may work in team-a only, bob may do
 * nothing, admin anything.
 */
@EnableKubernetesMockClient(crud = true)
class ConsoleApiTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  KubernetesMockServer server;
  KubernetesClient client;

  private DroverConsole console;
  private HttpEndpoints endpoints;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void aClusterWithTwoTeams() throws Exception {
    MockCluster.answerReviews(server);
    for (String team : List.of("team-a", "team-b")) {
      run(team, team + "-ok", "Succeeded", "2026-11-28T10:00:00Z", "nightly", "all went well");
      run(team, team + "-broken", "Failed", "2026-11-28T10:01:00Z", null, "disk full on db-1");
      run(team, team + "-busy", "Running", "2026-11-28T10:02:00Z", null, "1 of 2 running");
      MockCluster.create(
          client,
          TaskExecution.class,
          """
          apiVersion: drover.dev/v1alpha1
          kind: TaskExecution
          metadata: {name: %1$s-busy-a1-1, namespace: %1$s, labels: {drover.dev/run: %1$s-busy}}
          spec: {run: %1$s-busy, unit: a1, target: a1, attempt: 1, agent: a1, command: [sleep, "600"]}
          status: {phase: Running, message: "tick 1\\ntick 2"}
          """
              .formatted(team));
      MockCluster.create(
          client,
          ScheduledTask.class,
          """
          apiVersion: drover.dev/v1alpha1
          kind: ScheduledTask
          metadata: {name: nightly, namespace: %s}
          spec:
            schedule: "0 2 * * *"
            runTemplate: {spec: {selector: {matchLabels: {role: db}}, command: ["true"]}}
          status: {trigger: "cron 0 2 * * *", nextScheduleTime: "2026-11-29T02:00:00Z", missed: 2}
          """
              .formatted(team));
      MockCluster.create(
          client,
          TaskFlow.class,
          """
          apiVersion: drover.dev/v1alpha1
          kind: TaskFlow
          metadata: {name: release, namespace: %s}
          spec:
            tasks:
              - {name: build, spec: {selector: {matchLabels: {role: db}}, command: ["true"]}}
              - {name: ship, dependsOn: [build], spec: {selector: {matchLabels: {role: db}}, command: ["true"]}}
          status: {phase: Running, tasks: [{name: build, phase: Succeeded}, {name: ship, phase: Running}]}
          """
              .formatted(team));
      MockCluster.create(
          client,
          Task.class,
          """
          apiVersion: drover.dev/v1alpha1
          kind: Task
          metadata: {name: backup, namespace: %s}
          spec:
            description: Back up one database
            params:
              - {name: database, required: true, description: Which one}
              - {name: mode, default: full, enum: [full, incremental]}
            template: {selector: {matchLabels: {role: db}}, script: "backup $(params.database)"}
          """
              .formatted(team));
    }
    MockCluster.create(
        client,
        Agent.class,
        """
        apiVersion: drover.dev/v1alpha1
        kind: Agent
        metadata: {name: a1, labels: {role: db}}
        spec: {capacity: 4, namespaces: ["*"], version: "1.0"}
        status:
          running: 1
          conditions: [{type: Ready, status: "True", reason: LeaseRenewed, lastTransitionTime: "2026-11-28T10:00:00Z"}]
        """);
    startConsole(false);
  }

  private void run(
      String namespace,
      String name,
      String phase,
      String created,
      String schedule,
      String message) {
    MockCluster.create(
        client,
        TaskRun.class,
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata:
          name: %s
          namespace: %s
          creationTimestamp: %s
          labels: {%s}
        spec: {selector: {matchLabels: {role: db}}, command: [backup]}
        status: {phase: %s, message: "%s", startTime: %s}
        """
            .formatted(
                name,
                namespace,
                created,
                schedule == null ? "" : DroverLabels.SCHEDULED_TASK + ": " + schedule,
                phase,
                message,
                created));
  }

  private void startConsole(boolean readOnly) throws Exception {
    console = DroverConsole.start(client, Clock.systemUTC(), false, readOnly, false, PATIENCE);
    endpoints = HttpEndpoints.bind(new HttpPort(freePort(), true), null);
    console.serveOn(endpoints);
  }

  private static int freePort() throws java.io.IOException {
    try (var socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @AfterEach
  void stop() {
    endpoints.close();
    console.close();
  }

  // --- plumbing -------------------------------------------------------------------------------

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request;
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    return http.send(request(path, token).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String token, String json) throws Exception {
    return http.send(
        request(path, token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The CSRF token the console gives the holder of a login cookie. */
  private String csrfTokenOf(String cookie) throws Exception {
    return json(http.send(
            request("/api/v1/session", null).header("Cookie", cookie).build(),
            HttpResponse.BodyHandlers.ofString()))
        .get("csrfToken")
        .asText();
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static List<String> names(HttpResponse<String> response) throws Exception {
    List<String> names = new ArrayList<>();
    for (JsonNode item : json(response).get("items")) {
      names.add(
          item.at("/metadata/namespace").asText("") + "/" + item.at("/metadata/name").asText());
    }
    return names;
  }

  private TaskRun stored(String namespace, String name) {
    return client.resources(TaskRun.class).inNamespace(namespace).withName(name).get();
  }

  // --- authentication -------------------------------------------------------------------------

  @Test
  void aRequestWithoutATokenIsUnauthorisedWithAJsonError() throws Exception {
    var response = get("/api/v1/runs", null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(json(response).get("error").asText()).contains("log in with a Kubernetes token");
  }

  @Test
  void aTokenTheApiServerDoesNotKnowIsUnauthorised() throws Exception {
    var response = get("/api/v1/runs", "forged-token");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(json(response).get("error").asText()).contains("does not accept this token");
  }

  @Test
  void aPageWithoutATokenIsTheLoginFormWithStatus401() throws Exception {
    var response = get("/runs", null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("<form method=\"post\" action=\"/login\"");
  }

  @Test
  void loggingInSetsAnHttpOnlyStrictCookieThatPagesAccept() throws Exception {
    var login =
        http.send(
            request("/login", null)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + ALICE))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(login.statusCode()).isEqualTo(303);
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).startsWith("drover_token=" + ALICE).contains("HttpOnly", "SameSite=Strict");
    var page =
        http.send(
            request("/runs", null).header("Cookie", cookie.split(";")[0]).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("team-a-ok").doesNotContain("team-b-ok");
  }

  @Test
  void loggingInWithAnUnknownTokenSaysSoAndSetsNoCookie() throws Exception {
    var login =
        http.send(
            request("/login", null)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=forged-token"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(login.statusCode()).isEqualTo(401);
    assertThat(login.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(login.body()).contains("does not accept this token");
  }

  @Test
  void aChangeSentWithTheCookieNeedsTheCsrfToken() throws Exception {
    String cookie = "drover_token=" + ALICE;
    var withoutToken =
        http.send(
            request("/api/v1/namespaces/team-a/runs/team-a-busy/cancel", null)
                .header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(withoutToken.statusCode()).isEqualTo(403);
    assertThat(json(withoutToken).get("error").asText()).contains("CSRF");
    assertThat(stored("team-a", "team-a-busy").getSpec().cancelRequested()).isFalse();

    String csrf = csrfTokenOf(cookie);
    var withToken =
        http.send(
            request("/api/v1/namespaces/team-a/runs/team-a-busy/cancel", null)
                .header("Cookie", cookie)
                .header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(withToken.statusCode()).isEqualTo(200);
    assertThat(stored("team-a", "team-a-busy").getSpec().cancelRequested()).isTrue();
  }

  @Test
  void aScheduleReaderSeesNoRunOfTheScheduleWithoutTheRightToListRuns() throws Exception {
    var page = get("/schedules", CAROL);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("nightly")
        .doesNotContain("team-a-ok")
        .doesNotContain("team-b");
    assertThat(get("/schedules", ALICE).body()).contains("team-a-ok");
  }

  @Test
  void aFormGoesBackOnlyToAPageOfTheConsole() throws Exception {
    String cookie = "drover_token=" + ALICE;
    String csrf = csrfTokenOf(cookie);
    for (String back : List.of("/%5Cevil.example", "//evil.example", "https://evil.example")) {
      var answer =
          http.send(
              request("/api/v1/namespaces/team-a/schedules/nightly/run", null)
                  .header("Cookie", cookie)
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf + "&back=" + back))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(303);
      assertThat(answer.headers().firstValue("Location")).as(back).hasValue("/");
    }
  }

  @Test
  void aChangeFromASandboxedFrameIsRefused() throws Exception {
    var response =
        http.send(
            request("/login", null)
                .header("Origin", "null")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + ALICE))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void aChangeFromAnotherSiteIsRefused() throws Exception {
    var response =
        http.send(
            request("/api/v1/namespaces/team-a/runs/team-a-busy/cancel", ALICE)
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(stored("team-a", "team-a-busy").getSpec().cancelRequested()).isFalse();
  }

  // --- reads are limited to what the caller may list ------------------------------------------

  @Test
  void runsAreListedFromTheCallersNamespacesOnly() throws Exception {
    var alice = get("/api/v1/runs", ALICE);
    var admin = get("/api/v1/runs", ADMIN);

    assertThat(names(alice))
        .containsExactlyInAnyOrder(
            "team-a/team-a-busy", "team-a/team-a-broken", "team-a/team-a-ok");
    assertThat(json(alice).get("total").asInt()).isEqualTo(3);
    assertThat(json(admin).get("total").asInt()).isEqualTo(6);
    assertThat(names(get("/api/v1/runs", BOB))).isEmpty();
  }

  @Test
  void theOverviewCountsOnlyWhatTheCallerMaySee() throws Exception {
    JsonNode alice = json(get("/api/v1/overview", ALICE));
    JsonNode admin = json(get("/api/v1/overview", ADMIN));
    JsonNode bob = json(get("/api/v1/overview", BOB));

    assertThat(alice.at("/latestFailures").size()).isEqualTo(1);
    assertThat(alice.at("/latestFailures/0/namespace").asText()).isEqualTo("team-a");
    assertThat(admin.at("/latestFailures").size()).isEqualTo(2);
    assertThat(alice.at("/troubledSchedules").size()).isEqualTo(1);
    assertThat(alice.at("/agents/ready").asInt()).isEqualTo(1);
    assertThat(bob.at("/latestFailures").size()).isZero();
    assertThat(bob.has("agents")).as("bob may not list agents").isFalse();
  }

  @Test
  void anotherTeamsRunIsForbiddenAndAMissingOneNotFound() throws Exception {
    var forbidden = get("/api/v1/namespaces/team-b/runs/team-b-ok", ALICE);
    var missing = get("/api/v1/namespaces/team-a/runs/nothing-here", ALICE);

    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(json(forbidden).get("error").asText())
        .isEqualTo("alice may not get taskruns in namespace team-b");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).get("error").asText()).contains("taskrun \"nothing-here\" not found");
  }

  @Test
  void runsAreFilteredByPhaseSelectorScheduleNamespaceAndText() throws Exception {
    assertThat(names(get("/api/v1/runs?phase=Failed", ADMIN)))
        .containsExactlyInAnyOrder("team-b/team-b-broken", "team-a/team-a-broken");
    assertThat(names(get("/api/v1/runs?namespace=team-b&phase=failed", ADMIN)))
        .containsExactly("team-b/team-b-broken");
    assertThat(names(get("/api/v1/runs?schedule=nightly&namespace=team-a", ADMIN)))
        .containsExactly("team-a/team-a-ok");
    assertThat(
            names(get("/api/v1/runs?selector=drover.dev/scheduled-task%20in%20(nightly)", ALICE)))
        .containsExactly("team-a/team-a-ok");
    assertThat(names(get("/api/v1/runs?selector=!drover.dev/scheduled-task", ALICE)))
        .containsExactlyInAnyOrder("team-a/team-a-busy", "team-a/team-a-broken");
    assertThat(names(get("/api/v1/runs?q=DISK%20full", ALICE)))
        .containsExactly("team-a/team-a-broken");
  }

  @Test
  void pagesOfRunsFollowOneAnotherWithContinue() throws Exception {
    JsonNode first = json(get("/api/v1/runs?limit=4", ADMIN));
    JsonNode second =
        json(get("/api/v1/runs?limit=4&continue=" + first.get("continue").asText(), ADMIN));

    assertThat(first.get("items").size()).isEqualTo(4);
    assertThat(second.get("items").size()).isEqualTo(2);
    assertThat(second.get("continue").isNull()).isTrue();
    Set<String> all = new TreeSet<>();
    StreamSupport.stream(first.get("items").spliterator(), false)
        .forEach(item -> all.add(item.at("/metadata/name").asText()));
    StreamSupport.stream(second.get("items").spliterator(), false)
        .forEach(item -> all.add(item.at("/metadata/name").asText()));
    assertThat(all).hasSize(6);
  }

  @Test
  void badQueryParametersAreRefusedWithASentenceSayingWhy() throws Exception {
    assertThat(error(get("/api/v1/runs?phase=Exploded", ADMIN), 400))
        .isEqualTo(
            "phase must be one of Pending, Running, Succeeded, Failed, Cancelled, got"
                + " \"Exploded\"");
    assertThat(error(get("/api/v1/runs?limit=5000", ADMIN), 400))
        .isEqualTo("limit must be between 1 and 500, got 5000");
    assertThat(error(get("/api/v1/runs?limit=ten", ADMIN), 400))
        .isEqualTo("limit must be a whole number, got \"ten\"");
    assertThat(error(get("/api/v1/runs?continue=-3", ADMIN), 400)).contains("continue");
    assertThat(error(get("/api/v1/runs?namespace=Team_A", ADMIN), 400))
        .contains("is not a namespace name");
    assertThat(error(get("/api/v1/runs?selector=a%20in%20(b", ADMIN), 400))
        .contains("is not a label selector");
    assertThat(error(get("/api/v1/executions?phase=Sleeping", ADMIN), 400))
        .startsWith("phase must be one of Pending, Queued");
    assertThat(error(get("/api/v1/events?kinds=Pod", ADMIN), 400)).contains("kinds takes");
    assertThat(error(get("/api/v1/nothing", ADMIN), 404)).contains("no such page or endpoint");
    assertThat(error(post("/api/v1/runs", ADMIN, "{}"), 405)).contains("POST is not allowed");
    assertThat(post("/api/v1/runs", ADMIN, "{}").headers().firstValue("Allow")).hasValue("GET");
  }

  private static String error(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return json(response).get("error").asText();
  }

  @Test
  void aRunsExecutionsAndTheExecutionsListAreScopedLikeRuns() throws Exception {
    var ofRun = get("/api/v1/namespaces/team-a/runs/team-a-busy/executions", ALICE);
    var list = get("/api/v1/executions?run=team-a-busy", ADMIN);

    assertThat(names(ofRun)).containsExactly("team-a/team-a-busy-a1-1");
    assertThat(names(list)).containsExactly("team-a/team-a-busy-a1-1");
    assertThat(names(get("/api/v1/executions", ALICE))).containsExactly("team-a/team-a-busy-a1-1");
    assertThat(
            json(get("/api/v1/namespaces/team-a/executions/team-a-busy-a1-1", ALICE))
                .at("/status/phase")
                .asText())
        .isEqualTo("Running");
    assertThat(get("/api/v1/namespaces/team-b/executions/team-b-busy-a1-1", ALICE).statusCode())
        .isEqualTo(403);
    assertThat(get("/api/v1/namespaces/team-a/executions/nothing", ALICE).statusCode())
        .isEqualTo(404);
    assertThat(get("/api/v1/namespaces/team-b/runs/team-b-busy/executions", ALICE).statusCode())
        .isEqualTo(403);
  }

  @Test
  void agentsSchedulesFlowsAndTasksAreListedAndFetched() throws Exception {
    assertThat(names(get("/api/v1/agents", ALICE))).containsExactly("/a1");
    assertThat(get("/api/v1/agents", BOB).statusCode()).isEqualTo(403);
    assertThat(json(get("/api/v1/agents/a1", ADMIN)).at("/spec/capacity").asInt()).isEqualTo(4);
    assertThat(get("/api/v1/agents/nobody", ADMIN).statusCode()).isEqualTo(404);
    assertThat(names(get("/api/v1/schedules", ALICE))).containsExactly("team-a/nightly");
    assertThat(
            json(get("/api/v1/namespaces/team-a/schedules/nightly", ALICE))
                .at("/status/missed")
                .asInt())
        .isEqualTo(2);
    assertThat(names(get("/api/v1/flows", ALICE))).containsExactly("team-a/release");
    assertThat(get("/api/v1/namespaces/team-b/flows/release", ALICE).statusCode()).isEqualTo(403);
    assertThat(names(get("/api/v1/tasks?q=restore", ADMIN))).isEmpty();
    assertThat(names(get("/api/v1/tasks?q=back%20up", ALICE))).containsExactly("team-a/backup");
    assertThat(
            json(get("/api/v1/namespaces/team-a/tasks/backup", ALICE))
                .at("/spec/params/0/name")
                .asText())
        .isEqualTo("database");
  }

  /**
   * The mock cannot select Events by their involved object, so only the answer's form and the
   * authorisation are checked here; ConsoleIT reads a run's Events from a real API server.
   */
  @Test
  void aRunsEventsAreAListForCallersWhoMayListEvents() throws Exception {
    var alice = get("/api/v1/namespaces/team-a/runs/team-a-broken/events", ALICE);

    assertThat(alice.statusCode()).as(alice.body()).isEqualTo(200);
    assertThat(json(alice).get("items").isArray()).isTrue();
    assertThat(get("/api/v1/namespaces/team-b/runs/team-b-broken/events", ALICE).statusCode())
        .isEqualTo(403);
    assertThat(get("/api/v1/namespaces/team-a/runs/nothing/events", ALICE).statusCode())
        .isEqualTo(404);
  }

  @Test
  void loggingOutRemovesTheCookie() throws Exception {
    String cookie = "drover_token=" + ALICE;
    String csrf = csrfTokenOf(cookie);

    var logout =
        http.send(
            request("/logout", null)
                .header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(logout.statusCode()).isEqualTo(303);
    assertThat(logout.headers().firstValue("Set-Cookie"))
        .hasValueSatisfying(
            value -> assertThat(value).startsWith("drover_token=;").contains("Max-Age=0"));
  }

  // --- actions, as the caller -----------------------------------------------------------------

  @Test
  void cancellingARunSetsItsCancelFieldAndAnotherTeamsIsForbidden() throws Exception {
    var mine = post("/api/v1/namespaces/team-a/runs/team-a-busy/cancel", ALICE, "");
    var theirs = post("/api/v1/namespaces/team-b/runs/team-b-busy/cancel", ALICE, "");

    assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
    assertThat(stored("team-a", "team-a-busy").getSpec().cancelRequested()).isTrue();
    assertThat(theirs.statusCode()).isEqualTo(403);
    assertThat(stored("team-b", "team-b-busy").getSpec().cancelRequested()).isFalse();
  }

  @Test
  void retryIsForFailedRunsAndSetsAFreshRetryAnnotation() throws Exception {
    var notFailed = post("/api/v1/namespaces/team-a/runs/team-a-ok/retry", ALICE, "");
    var failed = post("/api/v1/namespaces/team-a/runs/team-a-broken/retry", ALICE, "");

    assertThat(notFailed.statusCode()).isEqualTo(409);
    assertThat(json(notFailed).get("error").asText()).contains("only a Failed run", "Succeeded");
    assertThat(failed.statusCode()).isEqualTo(200);
    assertThat(stored("team-a", "team-a-broken").getMetadata().getAnnotations())
        .containsEntry(DroverLabels.RETRY, json(failed).get("token").asText());
  }

  @Test
  void rerunCreatesANewRunFromTheSameSpecLabelledWithTheOriginal() throws Exception {
    var response = post("/api/v1/namespaces/team-a/runs/team-a-broken/rerun", ALICE, "");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String created = json(response).get("created").asText().split("/")[1];
    TaskRun rerun = stored("team-a", created);
    assertThat(rerun.getMetadata().getLabels())
        .containsEntry(DroverLabels.RERUN_OF, "team-a-broken");
    assertThat(rerun.getSpec().command()).containsExactly("backup");
    assertThat(rerun.getStatus()).isNull();
  }

  @Test
  void cordonAndUncordonSetTheAgentsUnschedulableField() throws Exception {
    assertThat(post("/api/v1/agents/a1/cordon", ADMIN, "").statusCode()).isEqualTo(200);
    assertThat(client.resources(Agent.class).withName("a1").get().getSpec().cordoned()).isTrue();
    assertThat(post("/api/v1/agents/a1/uncordon", ADMIN, "").statusCode()).isEqualTo(200);
    assertThat(client.resources(Agent.class).withName("a1").get().getSpec().cordoned()).isFalse();
    assertThat(post("/api/v1/agents/a1/cordon", ALICE, "").statusCode())
        .as("alice may only list agents")
        .isEqualTo(403);
  }

  @Test
  void schedulesAreSuspendedResumedAndRunNow() throws Exception {
    var schedule = client.resources(ScheduledTask.class).inNamespace("team-a").withName("nightly");
    assertThat(post("/api/v1/namespaces/team-a/schedules/nightly/suspend", ALICE, "").statusCode())
        .isEqualTo(200);
    assertThat(schedule.get().getSpec().suspend()).isTrue();
    assertThat(post("/api/v1/namespaces/team-a/schedules/nightly/resume", ALICE, "").statusCode())
        .isEqualTo(200);
    assertThat(schedule.get().getSpec().suspend()).isFalse();
    assertThat(post("/api/v1/namespaces/team-a/schedules/nightly/run", ALICE, "").statusCode())
        .isEqualTo(200);
    assertThat(schedule.get().getMetadata().getAnnotations()).containsKey(DroverLabels.RUN_NOW);
    assertThat(post("/api/v1/namespaces/team-b/schedules/nightly/run", ALICE, "").statusCode())
        .isEqualTo(403);
  }

  @Test
  void flowsAreCancelledAndRerun() throws Exception {
    assertThat(post("/api/v1/namespaces/team-a/flows/release/cancel", ALICE, "").statusCode())
        .isEqualTo(200);
    assertThat(
            client
                .resources(TaskFlow.class)
                .inNamespace("team-a")
                .withName("release")
                .get()
                .getSpec()
                .cancel())
        .isTrue();
    assertThat(post("/api/v1/namespaces/team-a/flows/release/retry", ALICE, "").statusCode())
        .as("a Running flow")
        .isEqualTo(409);
    var flow = client.resources(TaskFlow.class).inNamespace("team-a").withName("release");
    flow.edit(
        failed -> {
          failed.setStatus(
              io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                  "{\"phase\": \"Failed\"}", dev.drover.api.flow.TaskFlowStatus.class));
          return failed;
        });
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                json(get("/api/v1/namespaces/team-a/flows/release", ALICE))
                    .at("/status/phase")
                    .asText()
                    .equals("Failed"));
    assertThat(post("/api/v1/namespaces/team-a/flows/release/retry", ALICE, "").statusCode())
        .isEqualTo(200);
    assertThat(flow.get().getMetadata().getAnnotations()).containsKey(DroverLabels.RETRY);
    var rerun = post("/api/v1/namespaces/team-a/flows/release/rerun", ALICE, "");
    assertThat(rerun.statusCode()).as(rerun.body()).isEqualTo(200);
    assertThat(
            client
                .resources(TaskFlow.class)
                .inNamespace("team-a")
                .withLabel(DroverLabels.RERUN_OF, "release")
                .list()
                .getItems())
        .hasSize(1);
  }

  @Test
  void aTaskRunsWithItsParamsAndBadValuesAreNamedBeforeAnythingIsCreated() throws Exception {
    var missing =
        post(
            "/api/v1/namespaces/team-a/tasks/backup/run",
            ALICE,
            "{\"params\":{\"mode\":\"weekly\",\"colour\":\"red\"}}");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(json(missing).get("error").asText())
        .isEqualTo(
            "database is required; mode must be one of full, incremental, not \"weekly\"; colour is"
                + " not a param of task backup");
    assertThat(post("/api/v1/namespaces/team-a/tasks/backup/run", ALICE, "{not json").statusCode())
        .isEqualTo(400);

    var ok =
        post(
            "/api/v1/namespaces/team-a/tasks/backup/run",
            ALICE,
            "{\"params\":{\"database\":\"orders\"}}");

    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    TaskRun run = stored("team-a", json(ok).get("created").asText().split("/")[1]);
    assertThat(run.getSpec().taskRef().name()).isEqualTo("backup");
    assertThat(run.getSpec().taskRef().params())
        .containsExactly(java.util.Map.entry("database", "orders"));
  }

  // --- live events ----------------------------------------------------------------------------

  @Test
  void theEventStreamTellsOfChangesInTheCallersNamespacesOnly() throws Exception {
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    var stream =
        http.send(
            request("/api/v1/events?kinds=TaskRun", ALICE).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    CompletableFuture.runAsync(
        () -> {
          try (var reader =
              new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            reader.lines().forEach(lines::add);
          } catch (java.io.IOException ignored) {
            // closed by the test's end
          }
        });
    await().atMost(PATIENCE).until(() -> lines.contains(": connected"));

    run("team-b", "team-b-new", "Pending", "2026-11-28T11:00:00Z", null, "secret b");
    run("team-a", "team-a-new", "Pending", "2026-11-28T11:00:01Z", null, "visible a");

    await()
        .atMost(PATIENCE)
        .until(() -> lines.stream().anyMatch(line -> line.contains("team-a-new")));
    assertThat(lines).noneMatch(line -> line.contains("team-b"));
    assertThat(lines).contains("event: change");
    stream.body().close();
  }

  // --- read-only and the API document ---------------------------------------------------------

  @Nested
  class ReadOnly {
    @BeforeEach
    void aReadOnlyConsole() throws Exception {
      stop();
      startConsole(true);
    }

    @Test
    void refusesEveryActionAndShowsNoButton() throws Exception {
      var cancel = post("/api/v1/namespaces/team-a/runs/team-a-busy/cancel", ADMIN, "");
      var page = get("/runs/team-a/team-a-busy", ADMIN);

      assertThat(cancel.statusCode()).isEqualTo(403);
      assertThat(json(cancel).get("error").asText()).contains("read-only");
      assertThat(stored("team-a", "team-a-busy").getSpec().cancelRequested()).isFalse();
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body())
          .contains("Read-only console")
          .doesNotContain("<button type=\"submit\" id=\"cancel\"");
    }
  }

  @Test
  void theApiDocumentDescribesEveryApiRouteAndNoOther() throws Exception {
    JsonNode document = json(get("/api/openapi.json", null));
    Set<String> documented = new TreeSet<>();
    document
        .get("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method ->
                            documented.add(
                                method.toUpperCase()
                                    + " "
                                    + path.getKey().replace("{ns}", "{ns}"))));
    Set<String> served = new TreeSet<>();
    console.routes().list().stream()
        .filter(route -> route.contains(" /api/v1/"))
        .forEach(served::add);

    assertThat(documented).isEqualTo(served);
  }

  @Test
  void everyPageRendersForACallerWithoutShowingAnotherTeam() throws Exception {
    for (String page :
        List.of(
            "/",
            "/runs",
            "/runs/team-a/team-a-busy",
            "/agents",
            "/schedules",
            "/flows",
            "/flows/team-a/release",
            "/tasks",
            "/tasks/team-a/backup")) {
      var response = get(page, ALICE);
      assertThat(response.statusCode()).as(page).isEqualTo(200);
      assertThat(response.body()).as(page).doesNotContain("team-b");
    }
    assertThat(get("/runs/team-a/team-a-busy", ALICE).body()).contains("tick 2", "id=\"cancel\"");
    assertThat(get("/runs/team-b/team-b-busy", ALICE).statusCode()).isEqualTo(403);
  }
}
