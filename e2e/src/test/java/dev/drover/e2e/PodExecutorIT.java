package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Executor Pod on a real API server that has no kubelet or scheduler: the test registers Nodes and
 * plays both (binding, pod status, finishing graceful deletions). The API server, its admission and
 * validation, kubectl and the packaged operator are real.
 */
class PodExecutorIT extends RealCluster {
  /** How the pod attempts of these tests end. */
  private static final List<String> ATTEMPT_END_REASONS =
      List.of(
          "Completed",
          "Error",
          "Cancelled",
          "Unschedulable",
          "DeadlineExceeded",
          "PodRejected",
          "OOMKilled");

  private KubernetesClient client;
  private PlayedKubelet kubelet;

  @Override
  void startAgents() throws IOException {
    client = adminClient();
    boolean realNodes = !client.nodes().list().getItems().isEmpty();
    if (realNodes) {
      System.err.println(
          "[drover e2e] SKIPPED PodExecutorIT: it plays the kubelet, so it needs an API server"
              + " without nodes");
    }
    Assumptions.assumeFalse(realNodes, "the API server has nodes of its own");
    kubelet = new PlayedKubelet(client, NS);
    kubelet.registerNode("db-1", Map.of("role", "db"));
    kubelet.registerNode("db-2", Map.of("role", "db"));
    kubelet.registerNode("db-3", Map.of("role", "db"));
    kubelet.registerNode("db-4", Map.of("role", "db"));
    kubelet.registerNode("web-1", Map.of("role", "web"));
    // db-3 is dedicated (the example tolerates that), db-4 is being drained (nothing tolerates
    // that).
    taint("db-3", new Taint("NoSchedule", "dedicated", null, "db"));
    taint("db-4", new Taint("NoExecute", "maintenance", null, null));
    // What the controller-manager creates in every namespace; a cluster's ServiceAccount admission
    // refuses pods without it.
    if (client.serviceAccounts().inNamespace(NS).withName("default").get() == null) {
      client
          .serviceAccounts()
          .inNamespace(NS)
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName("default")
                  .endMetadata()
                  .build())
          .create();
    }
  }

  private void taint(String node, Taint taint) {
    client
        .nodes()
        .withName(node)
        .edit(
            n -> {
              n.getSpec().setTaints(List.of(taint));
              return n;
            });
  }

  private List<String> pods(String run) {
    return lines(
        kubectl.ok(
            "get",
            "pods",
            "-n",
            NS,
            "-l",
            "drover.dev/run=" + run,
            "-o",
            "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}"));
  }

  private void awaitPod(String name) {
    await().atMost(PATIENCE).until(() -> kubectl.run("get", "pod", name, "-n", NS).exitCode() == 0);
  }

  /**
   * Checks what a test added to the operator's pod counters since the scrape {@code before}: the
   * pods it created, and its attempts ended by reason (a reason not given: none).
   */
  private void assertPodCountersGrew(
      String before, int podsCreated, Map<String, Integer> attemptsEndedByReason) {
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              String after = scrapeMetrics();
              assertThat(growth(before, after, "drover_pod_creations_total", null))
                  .as("pods created")
                  .isEqualTo(podsCreated);
              for (String reason : ATTEMPT_END_REASONS) {
                double ended = attemptsEndedByReason.getOrDefault(reason, 0);
                assertThat(
                        growth(
                            before,
                            after,
                            "drover_pod_attempts_finished_total",
                            "reason=\"" + reason + "\""))
                    .as("pod attempts ended %s", reason)
                    .isEqualTo(ended);
              }
            });
  }

  @Test
  void theSchemaRejectsAPodRunWithoutAnImage() throws IOException {
    Files.writeString(
        work.resolve("no-image.yaml"),
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: no-image}
        spec:
          selector: {matchLabels: {role: db}}
          executor: Pod
          pod: {resources: {limits: {memory: 1Gi}}}
          command: ["true"]
        """);

    Kubectl.Result result =
        kubectl.run("apply", "-n", NS, "-f", work.resolve("no-image.yaml").toString());

    // kubectl validates on the server where the server can (1.25 and later); either way the
    // person applying reads that spec.pod.image is missing.
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output())
        .containsAnyOf("spec.pod.image: Required value", "missing required field \"image\"");
    Kubectl.Result serverSide =
        kubectl.run(
            "apply", "-n", NS, "--validate=false", "-f", work.resolve("no-image.yaml").toString());
    assertThat(serverSide.exitCode()).isNotZero();
    assertThat(serverSide.output()).contains("spec.pod.image: Required value");
  }

  @Test
  void theExampleRunsOnePodPerLabelledNodeMirrorsThemAndRetriesTheFailedOne() throws Exception {
    String before = scrapeMetrics();
    kubectl.ok("apply", "-n", NS, "-f", example("pod-dump.yaml"));

    await().atMost(PATIENCE).until(() -> pods("pg-dump").size() == 3);
    String affinities =
        kubectl.ok(
            "get",
            "pods",
            "-n",
            NS,
            "-l",
            "drover.dev/run=pg-dump",
            "-o",
            "jsonpath={range"
                + " .items[*]}{.metadata.name}:{.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key}={.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values[0]}:{.metadata.ownerReferences[0].kind}{\"\\n"
                + "\"}{end}");
    assertThat(lines(affinities))
        .containsExactlyInAnyOrder(
            "pg-dump-db-1-1:kubernetes.io/hostname=db-1:TaskExecution",
            "pg-dump-db-2-1:kubernetes.io/hostname=db-2:TaskExecution",
            "pg-dump-db-3-1:kubernetes.io/hostname=db-3:TaskExecution");

    for (String node : List.of("db-1", "db-2", "db-3")) {
      kubelet.bind("pg-dump-" + node + "-1", node);
      kubelet.start("pg-dump-" + node + "-1");
    }
    await()
        .atMost(PATIENCE)
        .until(() -> jsonPath("taskrun", "pg-dump", "{.status.targets.running}").equals("3"));
    kubelet.exit("pg-dump-db-1-1", 0, null);
    kubelet.exit("pg-dump-db-2-1", 0, null);
    kubelet.exit(
        "pg-dump-db-3-1",
        1,
        "pg_dumpall: error: connection to server failed: Connection refused\n");

    awaitPod("pg-dump-db-3-2");
    assertThat(
            jsonPath(
                "taskexecution",
                "pg-dump-db-3-1",
                "{.status.phase} {.status.exitCode} {.status.node} {.status.message}"))
        .isEqualTo(
            "Failed 1 db-3 pg_dumpall: error: connection to server failed: Connection refused");
    assertThat(
            jsonPath(
                "pod",
                "pg-dump-db-3-2",
                "{.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values[0]}"))
        .isEqualTo("db-3");
    kubelet.bind("pg-dump-db-3-2", "db-3");
    kubelet.start("pg-dump-db-3-2");
    kubelet.exit("pg-dump-db-3-2", 0, null);

    kubectl.ok("wait", "-n", NS, "--for=condition=Succeeded", "taskrun/pg-dump", "--timeout=60s");
    assertThat(kubectl.ok("get", "taskrun", "pg-dump", "-n", NS))
        .containsPattern("pg-dump\\s.*Succeeded\\s+3/3\\s+0");
    assertThat(
            lines(
                jsonPath(
                    "taskrun",
                    "pg-dump",
                    "{range .status.results[*]}{.target} {.node} {.attempts} {.exitCode}{\"\\n"
                        + "\"}{end}")))
        .containsExactlyInAnyOrder("db-1 db-1 1 0", "db-2 db-2 1 0", "db-3 db-3 2 0");
    assertThat(
            kubectl.ok(
                "get",
                "events",
                "-n",
                NS,
                "--field-selector",
                "involvedObject.name=pg-dump",
                "-o",
                "jsonpath={.items[*].reason}"))
        .contains("Started", "Retrying", "Succeeded");
    assertPodCountersGrew(before, 4, Map.of("Completed", 3, "Error", 1));
  }

  @Test
  void cancelDeletesTheRunningPods() throws Exception {
    String before = scrapeMetrics();
    apply(
        "scan",
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: scan}
        spec:
          selector: {matchLabels: {role: db}}
          executor: Pod
          pod: {image: "scanner:1"}
          command: [scan, --all]
        """);
    await().atMost(PATIENCE).until(() -> pods("scan").size() == 2);
    assertThat(pods("scan")).containsExactlyInAnyOrder("scan-db-1-1", "scan-db-2-1");
    for (String node : List.of("db-1", "db-2")) {
      kubelet.bind("scan-" + node + "-1", node);
      kubelet.start("scan-" + node + "-1");
    }
    await()
        .atMost(PATIENCE)
        .until(() -> jsonPath("taskrun", "scan", "{.status.targets.running}").equals("2"));

    kubectl.ok(
        "patch",
        "taskrun",
        "scan",
        "-n",
        NS,
        "--type",
        "merge",
        "-p",
        "{\"spec\":{\"cancel\":true}}");

    await().atMost(PATIENCE).until(() -> kubelet.finishDeletions() > 0 || pods("scan").isEmpty());
    await()
        .atMost(PATIENCE)
        .until(
            () -> {
              kubelet.finishDeletions();
              return pods("scan").isEmpty();
            });
    kubectl.ok("wait", "-n", NS, "--for=condition=Failed", "taskrun/scan", "--timeout=60s");
    assertThat(jsonPath("taskrun", "scan", "{.status.phase} {.status.targets.cancelled}"))
        .isEqualTo("Cancelled 2");
    assertPodCountersGrew(before, 2, Map.of("Cancelled", 2));
  }

  @Test
  void aPodThatFitsNoNodeFailsWithTheSchedulersReason() throws Exception {
    String before = scrapeMetrics();
    apply(
        "huge",
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: huge}
        spec:
          selector: {matchLabels: {role: db}}
          dispatch: Single
          executor: Pod
          pod: {image: "postgres:16", resources: {requests: {memory: 512Gi}}, startTimeoutSeconds: 3}
          command: [pg_isready]
        """);
    awaitPod("huge-single-1");

    kubelet.reportUnschedulable(
        "huge-single-1",
        "0/5 nodes are available: 3 Insufficient memory, 2 node(s) didn't match Pod's node"
            + " affinity/selector.");

    kubectl.ok("wait", "-n", NS, "--for=condition=Failed", "taskrun/huge", "--timeout=60s");
    assertThat(jsonPath("taskexecution", "huge-single-1", "{.status.phase} {.status.reason}"))
        .isEqualTo("Failed Unschedulable");
    assertThat(jsonPath("taskrun", "huge", "{.status.results[0].message}"))
        .isEqualTo(
            "pod did not start within 3s: 0/5 nodes are available: 3 Insufficient memory, 2 node(s)"
                + " didn't match Pod's node affinity/selector.");
    await().atMost(PATIENCE).until(() -> pods("huge").isEmpty());
    assertPodCountersGrew(before, 1, Map.of("Unschedulable", 1));
  }

  @Test
  void aPodPastItsDeadlineTimesOut() throws Exception {
    String before = scrapeMetrics();
    apply(
        "slow",
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: slow}
        spec:
          selector: {matchLabels: {role: db}}
          dispatch: Single
          executor: Pod
          pod: {image: "postgres:16"}
          command: [sleep, "3600"]
          timeoutSeconds: 5
        """);
    awaitPod("slow-single-1");
    assertThat(
            jsonPath("pod", "slow-single-1", "{.spec.activeDeadlineSeconds} {.spec.restartPolicy}"))
        .isEqualTo("5 Never");
    kubelet.bind("slow-single-1", "db-2");
    kubelet.start("slow-single-1");

    kubelet.exceedDeadline("slow-single-1");

    kubectl.ok("wait", "-n", NS, "--for=condition=Failed", "taskrun/slow", "--timeout=60s");
    assertThat(
            jsonPath(
                "taskexecution",
                "slow-single-1",
                "{.status.phase} {.status.reason} {.status.exitCode}"))
        .isEqualTo("TimedOut DeadlineExceeded 137");
    assertThat(
            kubectl.ok(
                "get",
                "events",
                "-n",
                NS,
                "--field-selector",
                "involvedObject.name=slow",
                "-o",
                "jsonpath={.items[*].reason}"))
        .contains("TimedOut");
    assertPodCountersGrew(before, 1, Map.of("DeadlineExceeded", 1));
  }

  @Test
  void podsTheApiServerRefusesFailTheirAttemptWithItsMessage() throws Exception {
    String before = scrapeMetrics();
    apply(
        "bad-mount",
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: bad-mount}
        spec:
          selector: {matchLabels: {role: db}}
          dispatch: Single
          executor: Pod
          pod: {image: "postgres:16", volumeMounts: [{name: missing, mountPath: /backup}]}
          command: [pg_isready]
        """);
    kubectl.ok("create", "namespace", "locked");
    kubectl.ok("label", "namespace", "locked", "pod-security.kubernetes.io/enforce=restricted");
    kubectl.ok("create", "serviceaccount", "default", "-n", "locked");
    Files.writeString(
        work.resolve("locked.yaml"),
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: privileged, namespace: locked}
        spec:
          selector: {matchLabels: {role: db}}
          dispatch: Single
          executor: Pod
          pod: {image: "postgres:16", securityContext: {privileged: true}}
          command: [pg_isready]
        """);
    kubectl.ok("apply", "-f", work.resolve("locked.yaml").toString());

    kubectl.ok("wait", "-n", NS, "--for=condition=Failed", "taskrun/bad-mount", "--timeout=60s");
    kubectl.ok(
        "wait", "-n", "locked", "--for=condition=Failed", "taskrun/privileged", "--timeout=60s");
    assertThat(
            jsonPath(
                "taskrun",
                "bad-mount",
                "{.status.results[0].reason}: {.status.results[0].message}"))
        .startsWith("PodRejected: ")
        .contains("spec.containers[0].volumeMounts[0].name: Not found: \"missing\"");
    assertThat(
            kubectl.ok(
                "get",
                "taskrun",
                "privileged",
                "-n",
                "locked",
                "-o",
                "jsonpath={.status.results[0].reason}: {.status.results[0].message}"))
        .startsWith("PodRejected: ")
        .contains("violates PodSecurity \"restricted:latest\"", "privileged");
    assertPodCountersGrew(before, 0, Map.of("PodRejected", 2));
  }

  @Test
  void aRunDeletedAndAppliedAgainNeverAdoptsTheOldRunsLeftovers() throws Exception {
    String before = scrapeMetrics();
    String manifest =
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: again}
        spec:
          selector: {matchLabels: {role: db}}
          executor: Pod
          pod: {image: "postgres:16"}
          command: [pg_isready]
        """;
    apply("again", manifest);
    await().atMost(PATIENCE).until(() -> pods("again").size() == 2);
    String oldRun = jsonPath("taskrun", "again", "{.metadata.uid}");
    kubectl.ok("delete", "taskrun", "again", "-n", NS);
    apply("again", manifest);
    String newRun = jsonPath("taskrun", "again", "{.metadata.uid}");
    assertThat(newRun).isNotEqualTo(oldRun);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                kubectl
                    .ok(
                        "get",
                        "events",
                        "-n",
                        NS,
                        "--field-selector",
                        "involvedObject.name=again",
                        "-o",
                        "jsonpath={.items[*].reason}")
                    .contains("NameTaken"));

    // What the garbage collector does after the delete (this API server runs none): the old
    // executions go, then, some seconds later, their pods.
    kubectl.ok("delete", "taskexecutions", "-n", NS, "-l", "drover.dev/run=again");
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                lines(
                        kubectl.ok(
                            "get",
                            "taskexecutions",
                            "-n",
                            NS,
                            "-l",
                            "drover.dev/run=again",
                            "-o",
                            "jsonpath={range .items[*]}{.status.reason}{\"\\n\"}{end}"))
                    .equals(List.of("PodNameTaken", "PodNameTaken")));
    kubectl.ok(
        "delete", "pods", "-n", NS, "-l", "drover.dev/run=again", "--grace-period=0", "--force");

    await().atMost(PATIENCE).until(() -> pods("again").size() == 2);
    String executionsOwners =
        kubectl.ok(
            "get",
            "taskexecutions",
            "-n",
            NS,
            "-l",
            "drover.dev/run=again",
            "-o",
            "jsonpath={.items[*].metadata.ownerReferences[0].uid}");
    assertThat(executionsOwners.split(" ")).containsOnly(newRun);
    String executionUids =
        kubectl.ok(
            "get",
            "taskexecutions",
            "-n",
            NS,
            "-l",
            "drover.dev/run=again",
            "-o",
            "jsonpath={.items[*].metadata.uid}");
    String podOwners =
        kubectl.ok(
            "get",
            "pods",
            "-n",
            NS,
            "-l",
            "drover.dev/run=again",
            "-o",
            "jsonpath={.items[*].metadata.ownerReferences[0].uid}");
    assertThat(podOwners.split(" ")).containsExactlyInAnyOrder(executionUids.split(" "));
    assertPodCountersGrew(before, 4, Map.of());
  }

  @Test
  void killingTheOperatorMidPodRunLosesAndDuplicatesNothing() throws Exception {
    apply(
        "restart",
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: restart}
        spec:
          selector: {matchLabels: {role: db}}
          dispatch: Distribute
          items: ["1", "2", "3", "4", "5", "6"]
          parallelism: 2
          executor: Pod
          pod: {image: "postgres:16"}
          command: [pg_dump, "db-$(DROVER_ITEM)"]
        """);
    await().atMost(PATIENCE).until(() -> pods("restart").size() == 2);
    for (String pod : pods("restart")) {
      kubelet.bind(pod, "db-1");
      kubelet.start(pod);
    }

    processes.kill("operator");
    for (String pod : pods("restart")) {
      kubelet.exit(pod, 0, null);
    }
    processes.restart("operator");

    // The kubelet's part for the rest: every pod the operator creates runs and succeeds.
    await()
        .atMost(PATIENCE)
        .until(
            () -> {
              for (String pod : pods("restart")) {
                var current = kubelet.pod(pod);
                if (current != null && current.getSpec().getNodeName() == null) {
                  kubelet.bind(pod, "db-2");
                  kubelet.exit(pod, 0, null);
                }
              }
              return jsonPath("taskrun", "restart", "{.status.phase}").equals("Succeeded");
            });
    assertThat(
            lines(
                kubectl.ok(
                    "get",
                    "taskexecutions",
                    "-n",
                    NS,
                    "-l",
                    "drover.dev/run=restart",
                    "-o",
                    "jsonpath={range .items[*]}{.spec.item} {.spec.attempt} {.status.phase}{\"\\n"
                        + "\"}{end}")))
        .containsExactlyInAnyOrder(
            "1 1 Succeeded",
            "2 1 Succeeded",
            "3 1 Succeeded",
            "4 1 Succeeded",
            "5 1 Succeeded",
            "6 1 Succeeded");
    assertThat(pods("restart")).hasSize(6);
  }

  @Test
  void anOomKilledPodFailsWithThatReasonInItsResult() throws Exception {
    String before = scrapeMetrics();
    apply(
        "hog",
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: hog}
        spec:
          selector: {matchLabels: {role: db}}
          dispatch: Single
          executor: Pod
          pod: {image: "postgres:16", resources: {limits: {memory: 64Mi}}}
          command: [pg_restore, big.dump]
        """);
    awaitPod("hog-single-1");
    kubelet.bind("hog-single-1", "db-1");
    kubelet.start("hog-single-1");

    kubelet.oomKill("hog-single-1", "pg_restore: processing item 3120 TABLE DATA big\n");

    kubectl.ok("wait", "-n", NS, "--for=condition=Failed", "taskrun/hog", "--timeout=60s");
    assertThat(
            jsonPath(
                "taskrun",
                "hog",
                "{.status.results[0].phase} {.status.results[0].exitCode}"
                    + " {.status.results[0].reason} {.status.results[0].node}"))
        .isEqualTo("Failed 137 OOMKilled db-1");
    assertThat(jsonPath("taskrun", "hog", "{.status.results[0].message}"))
        .isEqualTo("pg_restore: processing item 3120 TABLE DATA big");
    assertPodCountersGrew(before, 1, Map.of("OOMKilled", 1));
  }
}
