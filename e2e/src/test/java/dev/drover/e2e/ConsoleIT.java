package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console in a real headless Chromium against a real API server with the packaged operator and
 * three agents: the console runs under the chart's read-only ServiceAccount, people log in with
 * their own ServiceAccount tokens, and every page is saved as a screenshot under
 * console/target/screenshots.
 */
class ConsoleIT extends RealCluster {
  private static final Path SCREENSHOTS = ROOT.resolve("console/target/screenshots");
  private static final Duration LIVE = Duration.ofSeconds(30);

  private ConsoleBrowser browser;
  private String console;
  private String readOnlyConsole;
  private String opsToken;
  private String aliceToken;
  private final HttpClient http = HttpClient.newHttpClient();

  /** Namespaces of two teams, before the agents start serving them. */
  @Override
  Path operatorKubeconfig() throws Exception {
    kubectl.ok("create", "namespace", "team-a");
    kubectl.ok("create", "namespace", "team-b");
    kubectl.ok("create", "namespace", "drover-system");
    return super.operatorKubeconfig();
  }

  @Override
  String agentNamespaces() {
    return NS + ",team-a,team-b";
  }

  @BeforeAll
  void theConsoleUnderTheChartsServiceAccountAndTwoPeople() throws Exception {
    if (!ConsoleBrowser.installed()) {
      System.err.println("[drover e2e] SKIPPED: " + ConsoleBrowser.skipReason());
    }
    Assumptions.assumeTrue(ConsoleBrowser.installed(), ConsoleBrowser::skipReason);
    applyTheChartsConsoleRbac();
    applyAnywhere(
        "people",
        """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: ops, namespace: default}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: alice, namespace: default}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: drover-steer}
        rules:
          - apiGroups: [drover.dev]
            resources: ["*"]
            verbs: ["*"]
          - apiGroups: [""]
            resources: [events]
            verbs: [get, list, watch]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: ops-steers-everything}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: drover-steer}
        subjects: [{kind: ServiceAccount, name: ops, namespace: default}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: alice-steers-team-a, namespace: team-a}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: drover-steer}
        subjects: [{kind: ServiceAccount, name: alice, namespace: default}]
        """);
    opsToken = kubectl.ok("create", "token", "ops", "-n", NS, "--duration=2h").trim();
    aliceToken = kubectl.ok("create", "token", "alice", "-n", NS, "--duration=2h").trim();
    Path consoleKubeconfig = tokenKubeconfig("drover-console", "drover-system");
    int port = freePort();
    int readOnlyPort = freePort();
    processes.startConsole("console", port, consoleKubeconfig);
    processes.startConsole("console-read-only", readOnlyPort, consoleKubeconfig, "--read-only");
    console = "http://127.0.0.1:" + port;
    readOnlyConsole = "http://127.0.0.1:" + readOnlyPort;
    for (int served : List.of(port, readOnlyPort)) {
      await()
          .atMost(PATIENCE)
          .ignoreExceptions()
          .until(() -> get(served, "/readyz").statusCode() == 200);
    }
    browser = new ConsoleBrowser(SCREENSHOTS).at(console);
  }

  /** Applies objects that name their own namespaces. */
  private void applyAnywhere(String name, String yaml) throws IOException {
    Path file = work.resolve(name + ".yaml");
    Files.writeString(file, yaml);
    kubectl.ok("apply", "-f", file.toString());
  }

  /** The console's ServiceAccount and its rights exactly as the chart renders them. */
  private void applyTheChartsConsoleRbac() throws IOException {
    List<HasMetadata> consoleObjects =
        ChartTest.objects(ChartTest.render(t -> t.set("console.enabled", true))).stream()
            .filter(
                object ->
                    object instanceof ServiceAccount
                        || object instanceof ClusterRole
                        || object instanceof ClusterRoleBinding)
            .filter(object -> object.getMetadata().getName().equals("drover-console"))
            .toList();
    assertThat(consoleObjects).hasSize(3);
    Path file = work.resolve("console-rbac.yaml");
    Files.writeString(
        file,
        new KubernetesSerialization()
            .asYaml(
                new io.fabric8.kubernetes.api.model.KubernetesListBuilder()
                    .withItems(consoleObjects)
                    .build()));
    kubectl.ok("apply", "-f", file.toString());
  }

  @AfterAll
  void closeTheBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  private void loginAs(String token) {
    browser.at(console).forgetLogin();
    browser.open("/login");
    browser.type("#token", token);
    browser.click("#login-button");
    await().atMost(PATIENCE).until(() -> browser.has("#who"));
  }

  private HttpResponse<String> api(String method, String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(console + path))
            .header("Authorization", "Bearer " + token)
            .method(method, HttpRequest.BodyPublishers.noBody());
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void runInNamespace(String namespace, String name, String script) throws IOException {
    applyAnywhere(
        namespace + "-" + name,
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: %s, namespace: %s}
        spec:
          selector: {matchLabels: {role: scanner}}
          dispatch: Single
          script: '%s'
        """
            .formatted(name, namespace, script));
  }

  private String phaseOf(String namespace, String run) {
    return kubectl
        .ok("get", "taskrun", run, "-n", namespace, "-o", "jsonpath={.status.phase}")
        .trim();
  }

  @Test
  void aPersonLogsInWithATokenAndSeesTheOverview() throws Exception {
    browser.at(console).forgetLogin();
    browser.open("/");
    assertThat(browser.has("#login")).as("the login form, without a token").isTrue();
    browser.screenshot("login");

    loginAs(opsToken);

    browser.open("/");
    assertThat(browser.text("#who")).isEqualTo("system:serviceaccount:default:ops");
    browser.awaitText("#agents-ready", "3", LIVE);
    browser.screenshot("overview");
  }

  @Test
  void aRunAppearsAndGoesFromRunningToSucceededOnAnOpenPageWithoutReload() throws Exception {
    loginAs(opsToken);
    browser.open("/runs?namespace=default");
    browser.markDocument();

    runInNamespace(NS, "live-run", "echo working; sleep 4; echo done");

    browser.awaitText("#runs", "live-run", LIVE);
    browser.awaitMatch("#runs", "(?s).*live-run\\s+default\\s+Running.*", LIVE);
    browser.screenshot("runs");
    browser.awaitMatch("#runs", "(?s).*live-run\\s+default\\s+Succeeded.*", LIVE);
    assertThat(browser.documentStillMarked())
        .as("the page updated itself, it was not reloaded")
        .isTrue();
    browser.open("/runs/default/live-run");
    assertThat(browser.text("#targets")).contains("Succeeded", "done");
    assertThat(browser.text("#events")).contains("Started");
    browser.screenshot("run");
  }

  @Test
  void cancelOnTheRunPageStopsASleep600WithinFiveSeconds() throws Exception {
    loginAs(opsToken);
    runInNamespace(NS, "long-sleep", "sleep 600");
    await().atMost(PATIENCE).until(() -> phaseOf(NS, "long-sleep").equals("Running"));
    browser.open("/runs/default/long-sleep");
    browser.awaitText("#run-phase", "Running", LIVE);

    Instant clicked = Instant.now();
    browser.click("#cancel");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> phaseOf(NS, "long-sleep").equals("Cancelled"));
    Duration stopped = Duration.between(clicked, Instant.now());

    assertThat(stopped).isLessThanOrEqualTo(Duration.ofSeconds(5));
    assertThat(
            kubectl.ok(
                "get",
                "taskexecutions",
                "-n",
                NS,
                "-l",
                "drover.dev/run=long-sleep",
                "-o",
                "jsonpath={.items[*].status.phase}"))
        .isEqualTo("Cancelled");
    browser.awaitText("#run-phase", "Cancelled", LIVE);
    System.out.println("[console] cancel clicked to run Cancelled: " + stopped.toMillis() + " ms");
  }

  @Test
  void cordonOnTheAgentsPageKeepsNewWorkOffThatAgent() throws Exception {
    loginAs(opsToken);
    browser.open("/agents");
    try {
      browser.click("#cordon-scanner-3");
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  kubectl
                      .ok("get", "agent", "scanner-3", "-o", "jsonpath={.spec.unschedulable}")
                      .equals("true"));
      browser.awaitText("#agents", "Cordoned", LIVE);
      browser.screenshot("agents");

      apply(
          "after-cordon",
          """
          apiVersion: drover.dev/v1alpha1
          kind: TaskRun
          metadata: {name: after-cordon}
          spec:
            selector: {matchLabels: {role: scanner}}
            script: 'echo hi'
          """);
      kubectl.ok(
          "wait", "-n", NS, "--for=condition=Succeeded", "taskrun/after-cordon", "--timeout=90s");

      assertThat(
              kubectl.ok(
                  "get",
                  "taskexecutions",
                  "-n",
                  NS,
                  "-l",
                  "drover.dev/run=after-cordon",
                  "-o",
                  "jsonpath={.items[*].spec.agent}"))
          .contains("scanner-1", "scanner-2")
          .doesNotContain("scanner-3");
      assertThat(jsonPath("taskrun", "after-cordon", "{.status.skipped.targets}"))
          .contains("scanner-3");
    } finally {
      browser.open("/agents");
      if (browser.has("#uncordon-scanner-3")) {
        browser.click("#uncordon-scanner-3");
      }
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  !kubectl
                      .ok("get", "agent", "scanner-3", "-o", "jsonpath={.spec.unschedulable}")
                      .equals("true"));
    }
  }

  @Test
  void aChangeMadeElsewhereShowsOnAnOpenPageWithinASecond() throws Exception {
    loginAs(opsToken);
    browser.open("/agents");
    browser.awaitText("#agents", "scanner-2", LIVE);
    browser.markDocument();
    try {
      kubectl.ok("label", "agent", "scanner-2", "team=blue");
      Instant labelled = Instant.now();

      browser.awaitText("#agents", "team=blue", Duration.ofSeconds(1));

      System.out.println(
          "[console] label written to label shown on the open page: "
              + Duration.between(labelled, Instant.now()).toMillis()
              + " ms");
      assertThat(browser.documentStillMarked()).isTrue();
    } finally {
      kubectl.ok("label", "agent", "scanner-2", "team-");
    }
  }

  @Test
  void aScheduleIsSuspendedAndRunNowFromTheSchedulesPage() throws Exception {
    apply(
        "yearly",
        """
        apiVersion: drover.dev/v1alpha1
        kind: ScheduledTask
        metadata: {name: yearly}
        spec:
          schedule: "0 0 1 1 *"
          timeZone: Europe/Berlin
          runTemplate:
            spec:
              selector: {matchLabels: {role: scanner}}
              dispatch: Single
              script: 'echo happy new year'
        """);
    loginAs(opsToken);
    browser.open("/schedules");
    browser.awaitText("#schedules", "yearly", LIVE);

    browser.click("#suspend-default-yearly");
    await()
        .atMost(PATIENCE)
        .until(() -> jsonPath("scheduledtask", "yearly", "{.spec.suspend}").equals("true"));
    browser.awaitText("#schedules", "Suspended", LIVE);
    browser.click("#run-now-default-yearly");

    await()
        .atMost(PATIENCE)
        .until(
            () ->
                !kubectl
                    .ok(
                        "get",
                        "taskruns",
                        "-n",
                        NS,
                        "-l",
                        "drover.dev/scheduled-task=yearly",
                        "-o",
                        "name")
                    .isBlank());
    browser.open("/schedules");
    browser.awaitText("#schedules", "Succeeded", LIVE);
    assertThat(browser.text("#schedules")).contains("Europe/Berlin", "Suspended");
    browser.screenshot("schedules");
  }

  @Test
  void aTeamAPersonSeesNothingOfTeamBAndMayNotCancelItsRuns() throws Exception {
    runInNamespace("team-a", "a-report", "echo a");
    runInNamespace("team-b", "b-secret", "sleep 120");
    await().atMost(PATIENCE).until(() -> phaseOf("team-b", "b-secret").equals("Running"));
    await().atMost(PATIENCE).until(() -> phaseOf("team-a", "a-report").equals("Succeeded"));

    loginAs(aliceToken);
    browser.open("/runs");
    browser.awaitText("#runs", "a-report", LIVE);
    assertThat(browser.page()).doesNotContain("b-secret").doesNotContain("team-b");
    assertThat(browser.text("#run-count"))
        .isEqualTo(
            kubectl.ok("get", "taskruns", "-n", "team-a", "-o", "name").lines().count()
                + " run"
                + (kubectl.ok("get", "taskruns", "-n", "team-a", "-o", "name").lines().count() == 1
                    ? ""
                    : "s"));
    browser.open("/");
    assertThat(browser.page()).doesNotContain("b-secret").doesNotContain("team-b");
    browser.open("/runs/team-b/b-secret");
    assertThat(browser.text("#error")).contains("may not get taskruns in namespace team-b");
    browser.screenshot("forbidden");

    var list = api("GET", "/api/v1/runs", aliceToken);
    var cancel = api("POST", "/api/v1/namespaces/team-b/runs/b-secret/cancel", aliceToken);
    var overview = api("GET", "/api/v1/overview", aliceToken);

    assertThat(list.body()).contains("a-report").doesNotContain("b-secret");
    assertThat(overview.body()).doesNotContain("team-b");
    assertThat(cancel.statusCode()).isEqualTo(403);
    assertThat(phaseOf("team-b", "b-secret")).isEqualTo("Running");
    assertThat(jsonPathIn("team-b", "taskrun", "b-secret", "{.spec.cancel}")).isEmpty();
  }

  private String jsonPathIn(String namespace, String kind, String name, String path) {
    return kubectl.ok("get", kind, name, "-n", namespace, "-o", "jsonpath=" + path).trim();
  }

  @Test
  void theReadOnlyConsoleShowsNoAction() throws Exception {
    runInNamespace(NS, "read-only-look", "sleep 30");
    await().atMost(PATIENCE).until(() -> phaseOf(NS, "read-only-look").equals("Running"));
    loginAs(opsToken);
    browser.at(readOnlyConsole);

    for (String page : List.of("/runs/default/read-only-look", "/agents", "/schedules")) {
      browser.open(page);
      assertThat(browser.has("#read-only")).as(page).isTrue();
      assertThat(browser.all("form.action")).as("action buttons on %s", page).isEmpty();
    }
    browser.open("/runs/default/read-only-look");
    browser.screenshot("read-only");
    var refused =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        readOnlyConsole + "/api/v1/namespaces/default/runs/read-only-look/cancel"))
                .header("Authorization", "Bearer " + opsToken)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(phaseOf(NS, "read-only-look")).isEqualTo("Running");
  }

  @Test
  void aTaskIsRunFromTheFormItsParamsMake() throws Exception {
    apply(
        "greet-task",
        """
        apiVersion: drover.dev/v1alpha1
        kind: Task
        metadata: {name: greet}
        spec:
          description: Say hello to someone
          params:
            - {name: who, required: true, description: Whom to greet}
            - {name: tone, default: warm, enum: [warm, formal]}
          template:
            selector: {matchLabels: {role: scanner}}
            dispatch: Single
            script: 'echo "hello $(params.who), in a $(params.tone) tone"'
        """);
    loginAs(opsToken);
    browser.open("/tasks");
    browser.awaitText("#tasks", "greet", LIVE);
    browser.screenshot("tasks");
    browser.open("/tasks/default/greet");
    assertThat(browser.text("#run-task")).contains("who *", "Whom to greet");
    browser.screenshot("task");

    browser.type("#param-who", "operators");
    browser.click("#param-tone option:nth-child(2)");
    browser.click("#run-task-button");

    browser.awaitText("#run-phase", "Succeeded", LIVE);
    assertThat(browser.text("#targets")).contains("hello operators, in a formal tone");
  }

  @Test
  void aFlowIsDrawnAsItsGraphAndItsTasksColourAsTheyRun() throws Exception {
    apply(
        "drawn-flow",
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskFlow
        metadata: {name: drawn}
        spec:
          tasks:
            - name: fetch
              spec: {selector: {matchLabels: {role: scanner}}, dispatch: Single, script: 'sleep 2'}
            - name: check
              dependsOn: [fetch]
              spec: {selector: {matchLabels: {role: scanner}}, dispatch: Single, script: 'true'}
            - name: publish
              dependsOn: [check]
              spec: {selector: {matchLabels: {role: scanner}}, dispatch: Single, script: 'true'}
        """);
    loginAs(opsToken);
    browser.open("/flows");
    browser.awaitText("#flows", "drawn", LIVE);
    browser.screenshot("flows");
    browser.open("/flows/default/drawn");

    await()
        .atMost(LIVE)
        .ignoreExceptions()
        .until(
            () ->
                browser
                    .all("#flow-task-publish")
                    .get(0)
                    .getAttribute("class")
                    .contains("phase-Succeeded"));
    assertThat(browser.all("#flow-graph path.edge")).hasSize(2);
    browser.awaitText("#flow-phase", "Succeeded", LIVE);
    browser.screenshot("flow");
  }
}
