package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drover.e2e.KubectlDrover.Running;
import dev.drover.e2e.KubectlDrover.TimedLine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl drover} as an operations person uses it, on a real API server with the packaged
 * operator and three agents: the plugin authenticates with a ServiceAccount token of a person who
 * may steer Drover, and the agents serve full output only to callers allowed to read executions.
 */
class CliIT extends RealCluster {
  private static final int FIFTY_MIB = 50 * 1024 * 1024;

  private KubectlDrover drover;
  private String opsToken;
  private String outsiderToken;

  @BeforeAll
  void anOperationsPersonAndAnOutsider() throws IOException {
    apply(
        "people",
        """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: ops}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: outsider}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: drover-ops}
        rules:
          - apiGroups: [drover.dev]
            resources: ["*"]
            verbs: ["*"]
          - apiGroups: [""]
            resources: [events, pods, pods/log]
            verbs: [get, list, watch]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: drover-ops}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: drover-ops}
        subjects: [{kind: ServiceAccount, name: ops, namespace: default}]
        """);
    Path opsKubeconfig = tokenKubeconfig("ops", NS);
    drover = new KubectlDrover(ROOT.resolve("cli/target"), opsKubeconfig);
    opsToken = kubectl.ok("create", "token", "ops", "-n", NS, "--duration=2h").trim();
    outsiderToken = kubectl.ok("create", "token", "outsider", "-n", NS, "--duration=2h").trim();
  }

  @Test
  void aFollowedBroadcastPrintsEachAgentsLinesPrefixedWhileTheCommandRuns() throws Exception {
    Running run =
        drover.startCollecting(
            "run",
            "--name",
            "ticker",
            "--on",
            "role=scanner",
            "--broadcast",
            "--follow",
            "--",
            "sh",
            "-c",
            "for i in 1 2 3 4 5; do echo tick $i; sleep 1; done");

    assertThat(run.awaitExit()).as(run.stderr()).isZero();
    for (String agent : agentPorts.keySet()) {
      TimedLine first = run.first("[" + agent + "] tick 1").orElseThrow(() -> missing(run, agent));
      TimedLine last = run.first("[" + agent + "] tick 5").orElseThrow(() -> missing(run, agent));
      assertThat(Duration.between(first.arrived(), last.arrived()))
          .as("%s's first line arrived while its command still ran, not with the last", agent)
          .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }
  }

  private static AssertionError missing(Running run, String agent) {
    return new AssertionError("no line of " + agent + " in " + run.lines);
  }

  @Test
  void aFailingRunWaitedForExitsOne() throws Exception {
    var result =
        drover.run(
            "run",
            "--name",
            "failing",
            "--on",
            "role=scanner",
            "--single",
            "--wait",
            "--",
            "sh",
            "-c",
            "exit 3");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(jsonPath("taskrun", "failing", "{.status.phase}")).isEqualTo("Failed");
  }

  @Test
  void logsReturnFiftyMebibytesByteForByteWhileTheExecutionHoldsOnlyTheTail() throws Exception {
    var run =
        drover.run(
            "run",
            "--name",
            "big-output",
            "--on",
            "zone=z1",
            "--single",
            "--wait",
            "--",
            "sh",
            "-c",
            "seq 1 7000000 | head -c " + FIFTY_MIB);
    assertThat(run.exitCode()).as(run.toString()).isZero();

    var logs = drover.run("logs", "big-output");

    assertThat(logs.exitCode()).as(logs.stderr()).isZero();
    assertThat(logs.stdout()).hasSize(FIFTY_MIB);
    assertThat(sha256(logs.stdout())).isEqualTo(sha256(expectedSeqOutput()));
    String execution = executions("big-output", "json");
    assertThat(execution.length())
        .as("the execution object in etcd holds the tail, not the output")
        .isLessThan(16 * 1024);
    String tail = executions("big-output", "jsonpath={.items[0].status.message}");
    assertThat(tail.length()).as("the 4 KiB tail in status").isBetween(4000, 4096);
    assertThat(new String(expectedSeqOutput(), StandardCharsets.US_ASCII)).endsWith(tail);
  }

  /**
   * The run's executions (selected by a label selector after drover.dev/run=) as kubectl -o prints
   * them.
   */
  private String executions(String runSelector, String output) {
    return kubectl.ok(
        "get", "taskexecutions", "-n", NS, "-l", "drover.dev/run=" + runSelector, "-o", output);
  }

  private static byte[] expectedSeqOutput() {
    String all =
        IntStream.rangeClosed(1, 7_000_000)
            .mapToObj(Integer::toString)
            .collect(Collectors.joining("\n", "", "\n"));
    return Arrays.copyOf(all.getBytes(StandardCharsets.US_ASCII), FIFTY_MIB);
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void logsFollowPrintsLinesAsTheyAreWritten() throws Exception {
    var started =
        drover.run(
            "run",
            "--name",
            "slow-ticker",
            "--on",
            "zone=z2",
            "--single",
            "--",
            "sh",
            "-c",
            "for i in 1 2 3 4 5 6; do echo tick $i; sleep 1; done");
    assertThat(started.exitCode()).as(started.toString()).isZero();
    await()
        .atMost(PATIENCE)
        .until(() -> jsonPath("taskrun", "slow-ticker", "{.status.phase}").equals("Running"));

    Running logs = drover.startCollecting("logs", "-f", "slow-ticker");

    assertThat(logs.awaitExit()).as(logs.stderr()).isZero();
    assertThat(logs.lines)
        .extracting(TimedLine::text)
        .containsExactly("tick 1", "tick 2", "tick 3", "tick 4", "tick 5", "tick 6");
    assertThat(Duration.between(logs.lines.get(0).arrived(), logs.lines.get(5).arrived()))
        .as("followed lines arrive as they are written")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void theAgentServesOutputOnlyToCallersWhoMayReadExecutionsInTheNamespace() throws Exception {
    var run =
        drover.run(
            "run",
            "--name",
            "greeting",
            "--on",
            "zone=z1",
            "--single",
            "--wait",
            "--",
            "echo",
            "hello from scanner-1");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    String execution = executions("greeting", "jsonpath={.items[0].metadata.name}");
    String address = kubectl.ok("get", "agent", "scanner-1", "-o", "jsonpath={.status.address}");
    URI output =
        URI.create(address + "/v1/namespaces/" + NS + "/executions/" + execution + "/output");

    assertThat(fetch(output, null).statusCode()).as("no token").isEqualTo(401);
    HttpResponse<String> refused = fetch(output, outsiderToken);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    assertThat(refused.body()).doesNotContain("hello");
    HttpResponse<String> allowed = fetch(output, opsToken);
    assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
    assertThat(allowed.body()).isEqualTo("hello from scanner-1\n");
  }

  private static HttpResponse<String> fetch(URI uri, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aBroadcastStartedWhileAnAgentIsCordonedRunsOnTheOthersAndSkipsIt() throws Exception {
    assertThat(drover.run("cordon", "scanner-3").exitCode()).isZero();
    try {
      assertThat(kubectl.ok("get", "agent", "scanner-3", "-o", "jsonpath={.spec.unschedulable}"))
          .isEqualTo("true");

      var run =
          drover.run(
              "run",
              "--name",
              "around-cordon",
              "--on",
              "role=scanner",
              "--broadcast",
              "--wait",
              "--",
              "echo",
              "hello");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(
              executions(
                  "around-cordon", "jsonpath={.items[*].metadata.labels.drover\\.dev/agent}"))
          .isEqualTo("scanner-1 scanner-2");
      assertThat(kubectl.ok("get", "taskrun", "around-cordon", "-n", NS, "-o", "json"))
          .as("the cordoned agent is reported skipped, not failed")
          .contains("scanner-3", "Cordoned");
      assertThat(jsonPath("taskrun", "around-cordon", "{.status.targets.failed}")).isEqualTo("0");
    } finally {
      assertThat(drover.run("uncordon", "scanner-3").exitCode()).isZero();
    }
    assertThat(kubectl.ok("get", "agent", "scanner-3", "-o", "jsonpath={.spec.unschedulable}"))
        .isIn("", "false");
  }

  @Test
  void drainCordonsTheAgentAndReturnsOnceItsRunningSleepHasFinished() throws Exception {
    var started =
        drover.run(
            "run", "--name", "drained-sleep", "--on", "zone=z2", "--single", "--", "sleep", "6");
    assertThat(started.exitCode()).as(started.toString()).isZero();
    await().atMost(PATIENCE).until(() -> runningOn("drained-sleep", "scanner-2") == 1);

    try {
      var drain = drover.run("drain", "scanner-2", "--timeout", "90s");

      assertThat(drain.exitCode()).as(drain.toString()).isZero();
      assertThat(executions("drained-sleep", "jsonpath={.items[*].status.phase}"))
          .as("drain returned only after the sleep it waited for had ended")
          .isEqualTo("Succeeded");
      assertThat(kubectl.ok("get", "agent", "scanner-2", "-o", "jsonpath={.spec.unschedulable}"))
          .isEqualTo("true");
    } finally {
      assertThat(drover.run("uncordon", "scanner-2").exitCode()).isZero();
    }
  }

  @Test
  void retryRerunsOnlyTheItemsThatFailedAndTheRunEndsSucceeded() throws Exception {
    Path ledger = work.resolve("flaky-ledger.txt");
    Path markers = Files.createDirectories(work.resolve("flaky-markers"));
    String script =
        "case $DROVER_ITEM in 3|5|7) if [ ! -e %s/$DROVER_ITEM ]; then touch %s/$DROVER_ITEM;"
                .formatted(markers, markers)
            + " exit 1; fi;; esac; echo $DROVER_ITEM >> "
            + ledger;
    var first =
        drover.run(
            "run",
            "--name",
            "flaky",
            "--on",
            "role=scanner",
            "--distribute",
            "1,2,3,4,5,6,7,8,9,10",
            "--wait",
            "--",
            "sh",
            "-c",
            script);
    assertThat(first.exitCode()).as(first.toString()).isEqualTo(1);

    var retry = drover.run("retry", "flaky");

    assertThat(retry.exitCode()).as(retry.toString()).isZero();
    kubectl.ok("wait", "-n", NS, "--for=condition=Succeeded", "taskrun/flaky", "--timeout=90s");
    Map<String, Long> runsPerItem =
        Files.readAllLines(ledger).stream()
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(runsPerItem)
        .containsOnlyKeys(IntStream.rangeClosed(1, 10).mapToObj(Integer::toString).toList())
        .allSatisfy((item, times) -> assertThat(times).as("item %s", item).isEqualTo(1));
    List<String> secondAttempts =
        lines(
            executions(
                "flaky,drover.dev/attempt=2",
                "jsonpath={range .items[*]}{.spec.item}{\"\\n\"}{end}"));
    assertThat(secondAttempts).containsExactlyInAnyOrder("3", "5", "7");
  }

  @Test
  void suspendResumeAndTriggerSteerASchedule() throws Exception {
    apply(
        "yearly",
        """
        apiVersion: drover.dev/v1alpha1
        kind: ScheduledTask
        metadata: {name: yearly}
        spec:
          schedule: "0 0 1 1 *"
          runTemplate:
            spec:
              selector: {matchLabels: {zone: z1}}
              dispatch: Single
              command: ["echo", "new year"]
        """);

    assertThat(drover.run("suspend", "yearly").exitCode()).isZero();
    assertThat(jsonPath("scheduledtask", "yearly", "{.spec.suspend}")).isEqualTo("true");
    assertThat(drover.run("resume", "yearly").exitCode()).isZero();
    assertThat(jsonPath("scheduledtask", "yearly", "{.spec.suspend}")).isEqualTo("false");

    var trigger = drover.run("trigger", "yearly");

    assertThat(trigger.exitCode()).as(trigger.toString()).isZero();
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                kubectl.ok(
                    "get",
                    "taskruns",
                    "-n",
                    NS,
                    "-l",
                    "drover.dev/scheduled-task=yearly",
                    "-o",
                    "jsonpath={.items[*].status.phase}"),
            "Succeeded"::equals);
  }
}
