package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped manifests on a real API server: the kustomization and a customised rendering of the
 * chart accepted by server-side dry-run, the chart installed by Helm, and its RBAC enough for the
 * operator (two replicas with leader election) and the agents to do their work, and no more.
 */
class DeployIT extends RealCluster {
  private static final String SYSTEM = "drover-system";
  private static final List<String> OPERATORS = List.of("operator-a", "operator-b");
  private Kubectl.Result kustomizeDryRun;
  private Kubectl.Result chartDryRun;
  private Path operatorKubeconfig;
  private Path agentKubeconfig;
  private int secondOperatorPort;
  private Release release;

  /**
   * Installs the manifests (checking them first with a server-side dry-run) and logs in as the
   * operator.
   */
  @Override
  Path operatorKubeconfig() throws Exception {
    kubectl.ok("create", "namespace", SYSTEM);
    kubectl.ok("create", "namespace", "ops");
    kubectl.ok("create", "namespace", "batch");
    kustomizeDryRun =
        kubectl.run("apply", "-k", ROOT.resolve("deploy").toString(), "--dry-run=server");
    Path customized = work.resolve("chart-custom.yaml");
    Files.writeString(
        customized,
        new Helm(ROOT.resolve("charts/drover"))
            .template()
            .withName("drover")
            .withNamespace(SYSTEM)
            .set("agent.namespaces[0]", "ops")
            .set("agent.namespaces[1]", "batch")
            .set("agent.hostAccess.pid", true)
            .set("agent.hostAccess.hostPath", "/")
            .set("agent.labels.zone", "eu-1")
            .set("operator.replicas", 3)
            .call());
    chartDryRun = kubectl.run("apply", "-f", customized.toString(), "--dry-run=server");
    release =
        new Helm(ROOT.resolve("charts/drover"))
            .install()
            .withName("drover")
            .withNamespace(SYSTEM)
            .withKubeConfig(server.kubeconfig())
            .call();
    operatorKubeconfig = tokenKubeconfig("drover-operator", SYSTEM);
    agentKubeconfig = tokenKubeconfig("drover-agent", SYSTEM);
    return operatorKubeconfig;
  }

  @Override
  Path agentKubeconfig() {
    return agentKubeconfig;
  }

  @Override
  void startOperators() throws IOException {
    secondOperatorPort = freePort();
    processes.startOperator(
        "operator-a", operatorPort, "--leader-election", "--leader-election-namespace", SYSTEM);
    processes.startOperator(
        "operator-b",
        secondOperatorPort,
        "--leader-election",
        "--leader-election-namespace",
        SYSTEM);
  }

  @Test
  void theKustomizationAndTheRenderedChartAreAcceptedAndTheChartInstalls() {
    assertThat(release.getStatus()).isEqualTo("deployed");
    assertThat(
            kubectl.ok(
                "get",
                "clusterrole",
                "drover-agent",
                "-o",
                "jsonpath={.metadata.labels.app\\.kubernetes\\.io/managed-by}"))
        .isEqualTo("Helm");
    assertThat(kustomizeDryRun.exitCode()).as(kustomizeDryRun.output()).isZero();
    assertThat(kustomizeDryRun.output())
        .contains("deployment.apps/drover-operator created (server dry run)")
        .contains("daemonset.apps/drover-agent created (server dry run)")
        .contains("clusterrole.rbac.authorization.k8s.io/drover-agent created (server dry run)");
    assertThat(chartDryRun.exitCode()).as(chartDryRun.output()).isZero();
    assertThat(chartDryRun.output())
        .contains(
            "rolebinding.rbac.authorization.k8s.io/drover-agent-executions created (server dry"
                + " run)");
  }

  @Test
  void underTheirOwnRbacTheOperatorAndAgentsRunABroadcastAndADistributeThatMetricsCount()
      throws Exception {
    int leaderPort = leaderPort();
    String operatorBefore = scrape(leaderPort);
    Map<Integer, String> agentsBefore = new LinkedHashMap<>();
    for (int port : agentPorts.values()) {
      agentsBefore.put(port, scrape(port));
    }

    kubectl.ok("apply", "-n", NS, "-f", example("hello-broadcast.yaml"));
    kubectl.ok("apply", "-n", NS, "-f", example("scan-distribute.yaml"));

    kubectl.ok(
        "wait",
        "-n",
        NS,
        "--for=condition=Succeeded",
        "taskrun/hello",
        "taskrun/scan-segments",
        "--timeout=120s");

    assertThat(kubectl.ok("get", "taskruns", "-n", NS))
        .containsPattern("hello\\s.*Succeeded\\s+3/3")
        .containsPattern("scan-segments\\s.*Succeeded\\s+10/10");
    await()
        .atMost(PATIENCE)
        .untilAsserted(() -> assertCountedTwoRuns(leaderPort, operatorBefore, agentsBefore));
  }

  /**
   * The runs hello and scan-segments as the leader's and the agents' metrics count them: what they
   * added to the scrapes taken before them.
   */
  private void assertCountedTwoRuns(
      int leaderPort, String operatorBefore, Map<Integer, String> agentsBefore)
      throws IOException, InterruptedException {
    String operatorMetrics = scrape(leaderPort);
    assertThat(growth(operatorBefore, operatorMetrics, "drover_runs_started_total", null))
        .isEqualTo(2.0);
    assertThat(
            growth(
                operatorBefore,
                operatorMetrics,
                "drover_runs_finished_total",
                "phase=\"Succeeded\""))
        .isEqualTo(2.0);
    assertThat(operatorMetrics).containsPattern("(?m)^drover_agents\\{state=\"Ready\"\\} 3\\.0$");
    assertThat(operatorMetrics)
        .contains("operator_sdk_controllers_execution_reconcile_seconds_count");
    double succeeded = 0;
    double timed = 0;
    double dispatched = 0;
    for (var agent : agentsBefore.entrySet()) {
      String before = agent.getValue();
      String agentMetrics = scrape(agent.getKey());
      assertThat(agentMetrics)
          .contains("drover_agent_executions_queued")
          .contains("drover_agent_executions_running");
      double agentSucceeded =
          growth(
              before,
              agentMetrics,
              "drover_agent_executions_finished_total",
              "outcome=\"Succeeded\"");
      double agentTimed =
          growth(before, agentMetrics, "drover_agent_execution_duration_seconds_count", null);
      double agentDispatched =
          growth(before, agentMetrics, "drover_agent_dispatch_latency_seconds_count", null);
      assertThat(List.of(agentSucceeded, agentTimed, agentDispatched))
          .as(
              "executions succeeded, timed, dispatched on the agent at %d, which ran a hello",
              agent.getKey())
          .allSatisfy(count -> assertThat(count).isPositive());
      succeeded += agentSucceeded;
      timed += agentTimed;
      dispatched += agentDispatched;
    }
    assertThat(succeeded).as("executions succeeded: 3 hello + 10 scan").isEqualTo(13.0);
    assertThat(timed).isEqualTo(13.0);
    assertThat(dispatched).isEqualTo(13.0);
  }

  private int leaderPort() {
    return runningLeader().equals("operator-a") ? operatorPort : secondOperatorPort;
  }

  @Test
  void anAgentCanReadItsExecutionsAndReportStatusButNotSecretsOrOtherNamespaces() {
    Kubectl asAgent = new Kubectl(agentKubeconfig);

    assertThat(asAgent.run("get", "secrets", "-n", NS).output()).contains("Forbidden");
    assertThat(asAgent.run("get", "taskexecutions", "-n", "kube-system").output())
        .contains("Forbidden");
    assertThat(asAgent.ok("auth", "can-i", "list", "taskexecutions.drover.dev", "-n", NS).trim())
        .isEqualTo("yes");
    assertThat(
            asAgent
                .ok(
                    "auth",
                    "can-i",
                    "patch",
                    "taskexecutions.drover.dev",
                    "--subresource=status",
                    "-n",
                    NS)
                .trim())
        .isEqualTo("yes");
    assertThat(
            asAgent
                .run("auth", "can-i", "update", "taskexecutions.drover.dev", "-n", NS)
                .output()
                .trim())
        .isEqualTo("no");
    assertThat(
            asAgent.run("auth", "can-i", "create", "taskruns.drover.dev", "-n", NS).output().trim())
        .isEqualTo("no");
    assertThat(asAgent.run("auth", "can-i", "delete", "agents.drover.dev").output().trim())
        .endsWith("no");
    assertThat(
            asAgent.run("auth", "can-i", "update", "leases", "-n", "kube-system").output().trim())
        .isEqualTo("no");
    Kubectl asOperator = new Kubectl(operatorKubeconfig);
    assertThat(asOperator.run("get", "secrets", "-n", NS).output()).contains("Forbidden");
  }

  @Test
  void whenTheLeaderDiesMidRunTheOtherReplicaFinishesItWithNothingLostOrRepeated()
      throws Exception {
    Path ledger = startLedgerRun("failover", 2);
    String leader = runningLeader();

    processes.kill(leader);

    await().atMost(PATIENCE).until(() -> !leader().equals(leader));
    assertLedgerRunCompletedOnce("failover", ledger);
  }

  /**
   * The running operator holding the leader-election Lease, once one holds it: a replica killed by
   * an earlier test may hold it until it expires.
   */
  private String runningLeader() {
    return await().atMost(PATIENCE).until(this::leader, OPERATORS::contains);
  }

  @Test
  void underItsOwnRbacTheOperatorReadsTasksReportsTheirStatusAndRunsThem() {
    kubectl.ok("apply", "-n", NS, "-f", example("task-template.yaml"));

    kubectl.ok("wait", "-n", NS, "--for=condition=Valid", "task/db-dump", "--timeout=60s");
    kubectl.ok(
        "wait", "-n", NS, "--for=condition=Succeeded", "taskrun/dump-orders", "--timeout=90s");
    Kubectl asOperator = new Kubectl(operatorKubeconfig);
    assertThat(asOperator.run("auth", "can-i", "update", "tasks.drover.dev", "-n", NS).output())
        .as("Tasks are the user's; the operator writes only their status")
        .startsWith("no");
    assertThat(
            asOperator
                .ok("auth", "can-i", "update", "taskflows.drover.dev", "--subresource=finalizers")
                .trim())
        .isEqualTo("yes");
  }

  @Test
  void underItsOwnRbacTheOperatorRunsAPodOnALabelledNode() throws IOException {
    PlayedKubelet kubelet = new PlayedKubelet(adminClient(), NS);
    kubelet.registerNode("db-1", Map.of("role", "db"));
    apply(
        "pg-ready",
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: pg-ready}
        spec:
          selector: {matchLabels: {role: db}}
          executor: Pod
          pod: {image: "postgres:16"}
          command: [pg_isready]
        """);
    await()
        .atMost(PATIENCE)
        .until(() -> kubectl.run("get", "pod", "pg-ready-db-1-1", "-n", NS).exitCode() == 0);

    kubelet.bind("pg-ready-db-1-1", "db-1");
    kubelet.start("pg-ready-db-1-1");
    kubelet.exit("pg-ready-db-1-1", 0, null);

    kubectl.ok("wait", "-n", NS, "--for=condition=Succeeded", "taskrun/pg-ready", "--timeout=60s");
    assertThat(
            jsonPath(
                "pod",
                "pg-ready-db-1-1",
                "{.metadata.ownerReferences[0].kind}"
                    + " {.metadata.ownerReferences[0].blockOwnerDeletion}"))
        .isEqualTo("TaskExecution true");
  }
}
