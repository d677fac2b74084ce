package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A real kube-apiserver with the packaged operator and (unless a test class says otherwise) three
 * agents (scanner-1..3, role=scanner) as separate processes, driven and checked with kubectl, as a
 * user would. The server and the processes are shared by a class's tests; each test starts with all
 * of them running and creates the objects it checks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RealCluster {
  static final Path ROOT =
      Path.of(System.getProperty("drover.root", "..")).toAbsolutePath().normalize();
  static final Duration PATIENCE = Duration.ofSeconds(90);
  static final String NS = "default";

  RealApiServer server;
  DroverProcesses processes;
  Kubectl kubectl;
  Path work;
  int operatorPort;

  /** The agents' metrics ports, by agent name. */
  final Map<String, Integer> agentPorts = new LinkedHashMap<>();

  private KubernetesClient adminClient;

  @RegisterExtension
  final TestWatcher dumpLogsOnFailure =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          try {
            System.err.println(processes == null ? "no processes started" : processes.logTails());
          } catch (IOException e) {
            System.err.println("could not read logs: " + e);
          }
        }
      };

  @BeforeAll
  void startDrover() throws Exception {
    work = ROOT.resolve("e2e/target/e2e-work").resolve(getClass().getSimpleName());
    deleteRecursively(work);
    Files.createDirectories(work);
    Optional<RealApiServer> found = RealApiServer.find(work);
    if (found.isEmpty()) {
      System.err.println("[drover e2e] SKIPPED: " + RealApiServer.skipReason());
    }
    Assumptions.assumeTrue(found.isPresent(), RealApiServer::skipReason);
    server = found.get();
    kubectl = new Kubectl(server.kubeconfig());
    assertThat(kubectl.ok("apply", "-f", ROOT.resolve("crds").toString()))
        .contains("customresourcedefinition.apiextensions.k8s.io/taskruns.drover.dev");
    // kubectl wait gives up at once on a CRD the API server has not given conditions yet: ask
    // again.
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                kubectl
                        .run(
                            "wait",
                            "--for=condition=Established",
                            "crd/taskruns.drover.dev",
                            "crd/agents.drover.dev",
                            "crd/taskexecutions.drover.dev",
                            "crd/scheduledtasks.drover.dev",
                            "crd/tasks.drover.dev",
                            "crd/taskflows.drover.dev",
                            "--timeout=30s")
                        .exitCode()
                    == 0);
    processes =
        new DroverProcesses(ROOT, operatorKubeconfig(), agentKubeconfig(), work.resolve("logs"));
    operatorPort = freePort();
    startOperators();
    startAgents();
  }

  /**
   * Agents scanner-1..3 (role=scanner, capacity 4), Ready; a test class without agents overrides
   * this.
   */
  void startAgents() throws IOException {
    for (int i = 1; i <= 3; i++) {
      String agent = "scanner-" + i;
      agentPorts.put(agent, freePort());
      processes.startAgent(
          agent, "role=scanner,zone=z" + i, agentNamespaces(), 4, agentPorts.get(agent));
    }
    awaitEveryAgentReady();
  }

  /** The namespaces the agents serve, comma-separated; a test class may add its own. */
  String agentNamespaces() {
    return NS;
  }

  /**
   * Tests kill processes to see the rest cope: whatever an earlier test left stopped (also when it
   * failed before starting it again) runs again, so that no test depends on how another ended.
   */
  @BeforeEach
  void everyDroverProcessRunning() throws IOException {
    processes.restartStopped();
    // Tests may scrape /metrics first thing, to compare with it later; a JVM just started may
    // not serve it yet.
    for (int port : processes.metricsPorts()) {
      await().atMost(PATIENCE).ignoreExceptions().until(() -> !scrape(port).isEmpty());
    }
    awaitEveryAgentReady();
  }

  private void awaitEveryAgentReady() {
    agentPorts.keySet().forEach(agent -> awaitAgentReady(agent, "True"));
  }

  /** The operator's credentials; the test cluster's admin unless a test class says otherwise. */
  Path operatorKubeconfig() throws Exception {
    return server.kubeconfig();
  }

  /** The agents' credentials; the test cluster's admin unless a test class says otherwise. */
  Path agentKubeconfig() throws Exception {
    return server.kubeconfig();
  }

  void startOperators() throws IOException {
    processes.startOperator("operator", operatorPort);
  }

  /**
   * A client with the test cluster's admin credentials, for what the test plays (kubelets, the
   * garbage collector).
   */
  KubernetesClient adminClient() throws IOException {
    if (adminClient == null) {
      adminClient =
          new KubernetesClientBuilder()
              .withConfig(Config.fromKubeconfig(Files.readString(server.kubeconfig())))
              .build();
    }
    return adminClient;
  }

  @AfterAll
  void stopDrover() throws InterruptedException {
    if (adminClient != null) {
      adminClient.close();
    }
    if (processes != null) {
      processes.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  /**
   * Starts a Distribute run of items 1..12 whose command appends its item to a ledger file, and
   * waits until two items have run: the moment to break something.
   */
  Path startLedgerRun(String name, int parallelism) throws IOException {
    Path ledger = work.resolve(name + "-ledger.txt");
    Path manifest = work.resolve(name + ".yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: %s}
        spec:
          selector: {matchLabels: {role: scanner}}
          dispatch: Distribute
          items: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]
          parallelism: %d
          script: 'echo "$DROVER_ITEM" >> "%s"; sleep 1'
        """
            .formatted(name, parallelism, ledger));
    kubectl.ok("apply", "-n", NS, "-f", manifest.toString());
    await()
        .atMost(PATIENCE)
        .until(() -> Files.exists(ledger) && Files.readAllLines(ledger).size() >= 2);
    return ledger;
  }

  /** Waits for a ledger run to succeed and checks that each of its 12 items ran exactly once. */
  void assertLedgerRunCompletedOnce(String name, Path ledger) throws IOException {
    kubectl.ok("wait", "-n", NS, "--for=condition=Succeeded", "taskrun/" + name, "--timeout=120s");
    Map<String, Long> runsPerItem =
        Files.readAllLines(ledger).stream()
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(runsPerItem)
        .hasSize(12)
        .allSatisfy((item, times) -> assertThat(times).as("runs of item %s", item).isEqualTo(1));
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The operator's /metrics, in the Prometheus text format. */
  String scrapeMetrics() throws IOException, InterruptedException {
    return scrape(operatorPort);
  }

  /**
   * The sum of a metric's samples whose labels contain {@code labelFilter} (null: all); fails when
   * absent.
   */
  static double metric(String metrics, String name, String labelFilter) {
    OptionalDouble sum = sampleSum(metrics, name, labelFilter);
    assertThat(sum)
        .as("metric %s%s in the scrape", name, labelFilter == null ? "" : "{" + labelFilter + "}")
        .isPresent();
    return sum.getAsDouble();
  }

  /**
   * How much a counter grew from the scrape {@code before} to the scrape {@code after}, a counter
   * absent from a scrape counting as zero there (counters appear with their first increment). Tests
   * share the operator and the agents, so a test checks what it added, not the totals.
   */
  static double growth(String before, String after, String name, String labelFilter) {
    return sampleSum(after, name, labelFilter).orElse(0)
        - sampleSum(before, name, labelFilter).orElse(0);
  }

  private static OptionalDouble sampleSum(String metrics, String name, String labelFilter) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$")
            .matcher(metrics);
    double sum = 0;
    boolean found = false;
    while (m.find()) {
      if (labelFilter == null || (m.group(1) != null && m.group(1).contains(labelFilter))) {
        sum += Double.parseDouble(m.group(2));
        found = true;
      }
    }
    return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
  }

  static String scrape(int port) throws IOException, InterruptedException {
    return get(port, "/metrics").body();
  }

  /** A GET of a Drover process's endpoint: /metrics, /healthz or /readyz. */
  static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The operator process (operator-a or operator-b) holding the leader-election Lease in
   * drover-system; identities end with the process id.
   */
  String leader() {
    String holder =
        kubectl.ok(
            "get",
            "lease",
            "drover-operator",
            "-n",
            "drover-system",
            "-o",
            "jsonpath={.spec.holderIdentity}");
    for (String name : List.of("operator-a", "operator-b")) {
      Process process = processes.process(name);
      if (process != null && holder.endsWith("-" + process.pid())) {
        return name;
      }
    }
    return holder;
  }

  void awaitAgentReady(String agent, String status) {
    await().atMost(PATIENCE).until(() -> kubectl.run("get", "agent", agent).exitCode() == 0);
    kubectl.ok("wait", "--for=condition=Ready=" + status, "agent/" + agent, "--timeout=90s");
  }

  long runningOn(String run, String agent) {
    String phases =
        kubectl.ok(
            "get",
            "taskexecutions",
            "-n",
            NS,
            "-l",
            "drover.dev/run=" + run + ",drover.dev/agent=" + agent,
            "-o",
            "jsonpath={.items[*].status.phase}");
    return Arrays.stream(phases.split(" ")).filter("Running"::equals).count();
  }

  /** A kubeconfig that authenticates as the ServiceAccount, with a token valid for two hours. */
  Path tokenKubeconfig(String serviceAccount, String namespace) throws IOException {
    String token =
        kubectl.ok("create", "token", serviceAccount, "-n", namespace, "--duration=2h").trim();
    String server =
        kubectl.ok(
            "config", "view", "--raw", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}");
    String ca =
        kubectl.ok(
            "config",
            "view",
            "--raw",
            "--minify",
            "-o",
            "jsonpath={.clusters[0].cluster.certificate-authority-data}");
    String cluster =
        ca.isBlank() ? "insecure-skip-tls-verify: true" : "certificate-authority-data: " + ca;
    Path file = work.resolve(serviceAccount + ".kubeconfig");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: test, cluster: {server: "%s", %s}}]
        users: [{name: %s, user: {token: "%s"}}]
        contexts: [{name: test, context: {cluster: test, user: %s}}]
        current-context: test
        """
            .formatted(server, cluster, serviceAccount, token, serviceAccount));
    return file;
  }

  void apply(String name, String yaml) throws IOException {
    Path file = work.resolve(name + ".yaml");
    Files.writeString(file, yaml);
    kubectl.ok("apply", "-n", NS, "-f", file.toString());
  }

  String jsonPath(String kind, String name, String path) {
    return kubectl.ok("get", kind, name, "-n", NS, "-o", "jsonpath=" + path).trim();
  }

  static String example(String file) {
    return ROOT.resolve("examples").resolve(file).toString();
  }

  static List<String> lines(String text) {
    return text.lines().filter(l -> !l.isBlank()).toList();
  }
}
