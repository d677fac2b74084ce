package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TaskFlows on a real API server with the packaged operator and real agents, driven with kubectl
 * against the shipped examples: results handed on as data, groups and chords, maps within their
 * parallelism, failure handlers and finally, retries, an operator killed mid-flow, validation as a
 * user sees it, and flows started by a schedule.
 */
class FlowIT extends RealCluster {
  /** Where the failure-handler example keeps its marker and its ledger (the example says so). */
  private static final Path EXAMPLES_TMP = Path.of("/tmp/drover-examples");

  private static final Path FAIL_DUMP = EXAMPLES_TMP.resolve("fail-dump");
  private static final Path EXAMPLE_LEDGER = EXAMPLES_TMP.resolve("ledger");

  private static final String SCANNER =
      "selector: {matchLabels: {role: scanner}}, dispatch: Single";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FINISHED_EXECUTION =
      Set.of("Succeeded", "Failed", "TimedOut", "Cancelled", "Lost");

  private static final ResourceDefinitionContext TASK_EXECUTIONS =
      new ResourceDefinitionContext.Builder()
          .withGroup("drover.dev")
          .withVersion("v1alpha1")
          .withPlural("taskexecutions")
          .withKind("TaskExecution")
          .withNamespaced(true)
          .build();

  @RegisterExtension
  final TestWatcher showFlowsOnFailure =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          if (kubectl != null) {
            System.err.println(
                kubectl
                    .run("get", "taskflows,taskruns,taskexecutions", "-n", NS, "-o", "wide")
                    .output());
          }
        }
      };

  @BeforeEach
  @AfterEach
  void noExampleMarkerOrLedgerLeftOver() throws IOException {
    Files.deleteIfExists(FAIL_DUMP);
    Files.deleteIfExists(EXAMPLE_LEDGER);
  }

  @Test
  void aChainOfThreeHandsEachResultToTheNextStep() {
    kubectl.ok("apply", "-n", NS, "-f", example("flow-chain.yaml"));

    awaitFlow("chain", "Succeeded");

    assertThat(taskResults("chain"))
        .containsExactly(
            Map.entry("pick", "7"),
            Map.entry("double", "14"),
            Map.entry("report", "pick gave 7, double gave 14"));
    assertThat(executionResults("chain-pick")).containsExactly("7");
    assertThat(executionResults("chain-double")).containsExactly("14");
    assertThat(executionResults("chain-report")).containsExactly("pick gave 7, double gave 14");
    assertThat(kubectl.ok("get", "taskflow", "chain", "-n", NS))
        .containsPattern("chain\\s.*Succeeded\\s+3/3");
  }

  @Test
  void aGroupRunsAtOnceAndItsChordGetsTheResultsAsOneArrayInDependsOnOrder() throws Exception {
    kubectl.ok("apply", "-n", NS, "-f", example("flow-chord.yaml"));

    awaitFlow("chord", "Succeeded");

    List<String> probes = List.of("disk", "memory", "network");
    Map<String, Instant[]> spans = new LinkedHashMap<>();
    for (String probe : probes) {
      String[] times =
          listed(
                  "taskexecutions",
                  "drover.dev/run=chord-" + probe,
                  "{range .items[*]}{.status.startTime} {.status.completionTime}{end}")
              .split(" ");
      spans.put(probe, new Instant[] {Instant.parse(times[0]), Instant.parse(times[1])});
    }
    // Times have whole seconds: no probe started after another had completed, to the second;
    // each sleeps 2 s, so one after the other they would have taken at least 6.
    for (String probe : probes) {
      for (String other : probes) {
        if (!probe.equals(other)) {
          assertThat(spans.get(probe)[0])
              .as("%s started before %s completed; spans %s", probe, other, spansText(spans))
              .isBeforeOrEqualTo(spans.get(other)[1]);
        }
      }
    }
    Instant firstStart = spans.values().stream().map(s -> s[0]).min(Instant::compareTo).get();
    Instant lastEnd = spans.values().stream().map(s -> s[1]).max(Instant::compareTo).get();
    assertThat(Duration.between(firstStart, lastEnd)).isLessThan(Duration.ofSeconds(6));

    ArrayNode inDependsOnOrder = JSON.createArrayNode();
    for (String probe : probes) {
      inDependsOnOrder.add(JSON.readTree(executionResults("chord-" + probe).get(0)));
    }
    assertThat(executionResults("chord-summary"))
        .containsExactly(
            "[{\"check\":\"disk\",\"ok\":true},{\"check\":\"memory\",\"ok\":true},"
                + "{\"check\":\"network\",\"ok\":false}]")
        .containsExactly(inDependsOnOrder.toString());
  }

  @Test
  void aMapRunsEachOfTwentyElementsExactlyOnceNeverMoreThanFiveAtOnce() throws IOException {
    // Every change to the mapped run's executions, in the order the API server made them: an
    // execution is placed (counts against parallelism) from when an agent is named in it until
    // it has finished.
    Map<String, Boolean> placed = new ConcurrentHashMap<>();
    AtomicInteger mostPlacedAtOnce = new AtomicInteger();
    try (Watch watch =
        adminClient()
            .genericKubernetesResources(TASK_EXECUTIONS)
            .inNamespace(NS)
            .withLabel("drover.dev/run", "map-check")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, GenericKubernetesResource execution) {
                    Map<String, Object> spec = execution.get("spec");
                    Map<String, Object> status = execution.get("status");
                    Object phase = status == null ? null : status.get("phase");
                    boolean active =
                        action != Action.DELETED
                            && spec != null
                            && spec.get("agent") != null
                            && !FINISHED_EXECUTION.contains(String.valueOf(phase));
                    placed.put(execution.getMetadata().getName(), active);
                    int now = (int) placed.values().stream().filter(a -> a).count();
                    mostPlacedAtOnce.accumulateAndGet(now, Math::max);
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      kubectl.ok("apply", "-n", NS, "-f", example("flow-map.yaml"));

      awaitFlow("map", "Succeeded");
    }

    assertThat(jsonPath("taskrun", "map-check", "{.spec.parallelism} {.spec.dispatch}"))
        .isEqualTo("5 Distribute");
    List<String> rows =
        lines(
            listed(
                "taskexecutions",
                "drover.dev/run=map-check",
                "{range .items[*]}{.spec.item}|{.spec.attempt}|{.status.phase}|{.status.result}"
                    + "{\"\\n\"}{end}"));
    assertThat(rows).hasSize(20);
    Map<String, Long> runsPerItem =
        rows.stream()
            .map(r -> r.split("\\|")[0])
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(runsPerItem.keySet())
        .containsExactlyInAnyOrderElementsOf(
            IntStream.rangeClosed(1, 20).mapToObj(i -> "host-%02d".formatted(i)).toList());
    assertThat(runsPerItem).allSatisfy((item, runs) -> assertThat(runs).isEqualTo(1));
    assertThat(rows)
        .allSatisfy(
            r -> {
              String item = r.split("\\|")[0];
              assertThat(r)
                  .matches(
                      Pattern.quote(item + "|1|Succeeded|checked " + item) + " on scanner-[123]");
            });
    assertThat(mostPlacedAtOnce.get())
        .as("most executions of map-check placed on agents at once")
        .isBetween(2, 5);
  }

  @Test
  void theFailureHandlerRunsOnlyWhenDumpFailsAndFinallyRunsEitherWay() throws IOException {
    startGuardedDump(false);

    awaitFlow("guarded-dump", "Succeeded");
    assertThat(taskPhases("guarded-dump"))
        .containsEntry("prepare", "Succeeded")
        .containsEntry("dump", "Succeeded")
        .containsEntry("upload", "Succeeded")
        .containsEntry("page", "Skipped")
        .containsEntry("cleanup", "Succeeded");
    assertThat(Files.readAllLines(EXAMPLE_LEDGER))
        .containsExactly(
            "guarded-dump-prepare",
            "guarded-dump-dump",
            "guarded-dump-upload",
            "guarded-dump-cleanup");

    startGuardedDump(true);

    awaitFlow("guarded-dump", "Failed");
    assertThat(jsonPath("taskflow", "guarded-dump", "{.status.reason}")).isEqualTo("TasksFailed");
    assertThat(jsonPath("taskflow", "guarded-dump", "{.status.message}"))
        .startsWith("task dump failed");
    assertThat(taskPhases("guarded-dump"))
        .containsEntry("prepare", "Succeeded")
        .containsEntry("dump", "Failed")
        .containsEntry("upload", "Skipped")
        .containsEntry("page", "Succeeded")
        .containsEntry("cleanup", "Succeeded");
    assertThat(Files.readAllLines(EXAMPLE_LEDGER))
        .containsExactly(
            "guarded-dump-prepare",
            "guarded-dump-dump",
            "guarded-dump-page",
            "guarded-dump-cleanup");
  }

  @Test
  void aRetryByAnnotationRerunsWhatFailedOrWasSkippedAndFinallyButNotWhatSucceeded()
      throws IOException {
    startGuardedDump(true);
    awaitFlow("guarded-dump", "Failed");

    Files.delete(FAIL_DUMP);
    kubectl.ok("annotate", "taskflow", "guarded-dump", "-n", NS, "drover.dev/retry=1");

    awaitFlow("guarded-dump", "Succeeded");
    assertThat(jsonPath("taskflow", "guarded-dump", "{.status.retries}")).isEqualTo("1");
    assertThat(
            jsonPath(
                "taskflow", "guarded-dump", "{range .status.tasks[*]}{.name}={.run}{\"\\n\"}{end}"))
        .isEqualTo(
            """
            prepare=guarded-dump-prepare
            dump=guarded-dump-dump-r1
            upload=guarded-dump-upload-r1
            page=guarded-dump-page
            cleanup=guarded-dump-cleanup-r1\
            """);
    assertThat(Files.readAllLines(EXAMPLE_LEDGER))
        .containsExactly(
            "guarded-dump-prepare",
            "guarded-dump-dump",
            "guarded-dump-page",
            "guarded-dump-cleanup",
            "guarded-dump-dump-r1",
            "guarded-dump-upload-r1",
            "guarded-dump-cleanup-r1");
  }

  @Test
  void aFlowWhoseOperatorIsKilledMidFlowCompletesWithEveryStepRunOnce() throws Exception {
    Path ledger = work.resolve("steps-ledger");
    StringBuilder tasks = new StringBuilder();
    for (int i = 1; i <= 8; i++) {
      tasks.append(
          """
            - name: step-%d
              dependsOn: %s
              spec: {%s, script: 'echo step-%d >> "%s"; sleep 1'}
          """
              .formatted(i, i == 1 ? "[]" : "[step-" + (i - 1) + "]", SCANNER, i, ledger));
    }
    apply(
        "steps",
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskFlow
        metadata: {name: steps}
        spec:
          tasks:
        """
            + tasks);
    await()
        .atMost(PATIENCE)
        .until(() -> Files.exists(ledger) && Files.readAllLines(ledger).contains("step-2"));
    assertThat(jsonPath("taskflow", "steps", "{.status.phase}")).isEqualTo("Running");

    processes.kill("operator");
    processes.restart("operator");

    awaitFlow("steps", "Succeeded");
    assertThat(Files.readAllLines(ledger))
        .containsExactly(
            IntStream.rangeClosed(1, 8).mapToObj(i -> "step-" + i).toArray(String[]::new));
    assertThat(
            lines(
                listed(
                    "taskruns",
                    "drover.dev/flow=steps",
                    "{range .items[*]}{.metadata.name}{\"\\n\"}{end}")))
        .hasSize(8);
    for (int i = 1; i <= 8; i++) {
      assertThat(
              listed(
                  "taskexecutions",
                  "drover.dev/run=steps-step-" + i,
                  "{range .items[*]}{.spec.attempt} {.status.phase}{\"\\n\"}{end}"))
          .as("executions of step-%d", i)
          .isEqualTo("1 Succeeded");
    }
  }

  static Stream<Arguments> invalidFlows() {
    return Stream.of(
        Arguments.of(
            "a cycle, named",
            "cycle",
            task("a", "dependsOn: [c]") + task("b", "dependsOn: [a]") + task("c", "dependsOn: [b]"),
            "dependency cycle: a → c → b → a"),
        Arguments.of(
            "an unknown task in dependsOn",
            "unknown-dependson",
            task("a", "") + task("b", "dependsOn: [a, ghost]"),
            "task \"b\" depends on unknown task \"ghost\""),
        Arguments.of(
            "an unknown task in depends",
            "unknown-depends",
            task("a", "") + task("b", "depends: a.Succeeded || ghost.Failed"),
            "task \"b\" depends on unknown task \"ghost\""),
        Arguments.of(
            "an unknown task in a result reference",
            "unknown-result",
            task("a", "")
                + "- name: b\n"
                + "  dependsOn: [a]\n"
                + "  spec: {"
                + SCANNER
                + ", script: 'echo $(tasks.ghost.result)'}\n",
            "task \"b\" uses $(tasks.ghost.result) but there is no task \"ghost\""),
        Arguments.of(
            "duplicate names",
            "duplicates",
            task("a", "") + task("a", "") + task("b", "dependsOn: [a]"),
            "task name \"a\" is used twice"),
        Arguments.of(
            "a depends syntax error",
            "depends-syntax",
            task("a", "") + task("b", "depends: \"a.Succeeded &&\""),
            "task \"b\": depends \"a.Succeeded &&\": expected a task name at column 15"),
        Arguments.of(
            "itemsFrom on a Broadcast task",
            "items-broadcast",
            task("a", "")
                + "- name: b\n"
                + "  dependsOn: [a]\n"
                + "  itemsFrom: $(tasks.a.result)\n"
                + "  spec: {selector: {matchLabels: {role: scanner}}, dispatch: Broadcast,"
                + " script: 'echo $(item)'}\n",
            "task \"b\" has itemsFrom, so it cannot set dispatch Broadcast"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFlows")
  void anInvalidFlowFailsAsInvalidSpecSayingWhyInDescribeAndStartsNothing(
      String what, String name, String tasks, String problem) throws IOException {
    apply(
        name,
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskFlow
        metadata: {name: %s}
        spec:
          tasks:
        %s\
        """
            .formatted(name, tasks.indent(2)));

    awaitFlow(name, "Failed");

    assertThat(jsonPath("taskflow", name, "{.status.phase} {.status.reason}"))
        .isEqualTo("Failed InvalidSpec");
    assertThat(jsonPath("taskflow", name, "{.status.message}")).contains(problem);
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(kubectl.ok("describe", "taskflow", name, "-n", NS))
                    .containsPattern("Message:\\s+invalid spec: .*" + Pattern.quote(problem))
                    .containsPattern(
                        "Warning\\s+InvalidSpec\\s.*invalid spec: .*" + Pattern.quote(problem)));
    assertThat(
            kubectl.ok("get", "taskruns", "-n", NS, "-l", "drover.dev/flow=" + name, "-o", "name"))
        .isEmpty();
  }

  @Test
  void theApiServerRejectsAFlowOfMoreThanTwoHundredTasks() throws IOException {
    StringBuilder tasks = new StringBuilder();
    for (int i = 1; i <= 201; i++) {
      tasks.append(task("t" + i, ""));
    }
    Path file = work.resolve("too-big.yaml");
    Files.writeString(
        file,
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskFlow
        metadata: {name: too-big}
        spec:
          tasks:
        """
            + tasks.toString().indent(2));

    Kubectl.Result result = kubectl.run("apply", "-n", NS, "-f", file.toString());

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output())
        .contains("The TaskFlow \"too-big\" is invalid")
        .contains("spec.tasks: Too many: 201: must have at most 200 items");
    assertThat(kubectl.run("get", "taskflow", "too-big", "-n", NS).exitCode()).isNotZero();
  }

  @Test
  void aScheduledTaskWithAFlowTemplateStartsAFlowAtEachDueTime() throws IOException {
    apply(
        "every-five",
        """
        apiVersion: drover.dev/v1alpha1
        kind: ScheduledTask
        metadata: {name: every-five}
        spec:
          interval: 5s
          flowTemplate:
            metadata: {labels: {team: ops}}
            spec:
              tasks:
              - name: hello
                spec: {%1$s, script: 'echo hello > "$DROVER_RESULT"'}
              - name: reply
                dependsOn: [hello]
                spec: {%1$s, script: 'echo "$(tasks.hello.result) back" > "$DROVER_RESULT"'}
        """
            .formatted(SCANNER));
    try {
      await().atMost(Duration.ofMinutes(2)).until(() -> succeededFlowsOf("every-five").size() >= 2);
    } finally {
      kubectl.ok(
          "patch",
          "scheduledtask",
          "every-five",
          "-n",
          NS,
          "--type",
          "merge",
          "-p",
          "{\"spec\":{\"suspend\":true}}");
    }
    List<String> succeeded = succeededFlowsOf("every-five");

    assertThat(succeeded).hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates();
    for (String flow : succeeded) {
      assertThat(flow).matches("every-five-[0-9]+");
      assertThat(jsonPath("taskflow", flow, "{.metadata.labels.team}")).isEqualTo("ops");
      assertThat(jsonPath("taskflow", flow, "{.metadata.ownerReferences[0].kind}"))
          .isEqualTo("ScheduledTask");
      assertThat(taskResults(flow)).containsEntry("reply", "hello back");
    }
    List<Instant> dueTimes =
        succeeded.stream()
            .map(
                flow ->
                    Instant.parse(
                        jsonPath(
                            "taskflow",
                            flow,
                            "{.metadata.annotations.drover\\.dev/scheduled-time}")))
            .sorted()
            .toList();
    // An interval counts from the ScheduledTask's creation: its due times lie whole periods apart.
    for (int i = 1; i < dueTimes.size(); i++) {
      long apart = Duration.between(dueTimes.get(i - 1), dueTimes.get(i)).toMillis();
      assertThat(apart).as("due times %s", dueTimes).isPositive();
      assertThat(apart % 5000).as("due times %s", dueTimes).isZero();
    }
  }

  /**
   * Applies the failure-handler example afresh, with /tmp/drover-examples/fail-dump present or not
   * and an empty ledger. An earlier flow of the same name goes first, and with it its TaskRuns and
   * their TaskExecutions: kube-api-test runs no garbage collector, so what the flow owns is not
   * deleted with it, and the new flow's runs and executions (named as the old ones) would collide
   * with them.
   */
  private void startGuardedDump(boolean dumpFails) throws IOException {
    kubectl.ok("delete", "taskflow", "guarded-dump", "-n", NS, "--ignore-not-found");
    List<String> runs =
        lines(
            listed(
                "taskruns",
                "drover.dev/flow=guarded-dump",
                "{range .items[*]}{.metadata.name}{\"\\n\"}{end}"));
    kubectl.ok("delete", "taskruns", "-n", NS, "-l", "drover.dev/flow=guarded-dump");
    if (!runs.isEmpty()) {
      kubectl.ok(
          "delete",
          "taskexecutions",
          "-n",
          NS,
          "-l",
          "drover.dev/run in (" + String.join(",", runs) + ")");
    }
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                kubectl
                    .ok(
                        "get",
                        "taskruns",
                        "-n",
                        NS,
                        "-l",
                        "drover.dev/flow=guarded-dump",
                        "-o",
                        "name")
                    .isBlank());
    Files.createDirectories(EXAMPLES_TMP);
    Files.deleteIfExists(EXAMPLE_LEDGER);
    if (dumpFails) {
      Files.writeString(FAIL_DUMP, "");
    } else {
      Files.deleteIfExists(FAIL_DUMP);
    }
    kubectl.ok("apply", "-n", NS, "-f", example("flow-failure-handler.yaml"));
  }

  /** Waits until the flow's condition (Succeeded or Failed) is True. */
  private void awaitFlow(String name, String condition) {
    Kubectl.Result waited =
        kubectl.run(
            "wait", "-n", NS, "--for=condition=" + condition, "taskflow/" + name, "--timeout=150s");
    if (waited.exitCode() != 0) {
      throw new AssertionError(
          "taskflow/"
              + name
              + " is not "
              + condition
              + ": "
              + waited.output()
              + kubectl
                  .run("get", "taskflow", name, "-n", NS, "-o", "jsonpath={.status}")
                  .output());
    }
  }

  /** The result of each task of the flow as its status shows it, in spec order. */
  private Map<String, String> taskResults(String flow) {
    return pairs(
        jsonPath("taskflow", flow, "{range .status.tasks[*]}{.name}={.result}{\"\\n\"}{end}"));
  }

  private Map<String, String> taskPhases(String flow) {
    return pairs(
        jsonPath("taskflow", flow, "{range .status.tasks[*]}{.name}={.phase}{\"\\n\"}{end}"));
  }

  private static Map<String, String> pairs(String text) {
    Map<String, String> pairs = new LinkedHashMap<>();
    for (String line : lines(text)) {
      int eq = line.indexOf('=');
      pairs.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return pairs;
  }

  /** The results the executions of a run recorded, one per execution. */
  private List<String> executionResults(String run) {
    return lines(
        listed(
            "taskexecutions",
            "drover.dev/run=" + run,
            "{range .items[*]}{.status.result}{\"\\n\"}{end}"));
  }

  private List<String> succeededFlowsOf(String scheduledTask) {
    return lines(
            listed(
                "taskflows",
                "drover.dev/scheduled-task=" + scheduledTask,
                "{range .items[*]}{.metadata.name} {.status.phase}{\"\\n\"}{end}"))
        .stream()
        .filter(l -> l.endsWith(" Succeeded"))
        .map(l -> l.split(" ")[0])
        .toList();
  }

  /** kubectl get of the objects of a kind that a label selector selects, with a JSONPath. */
  private String listed(String kind, String selector, String path) {
    return kubectl.ok("get", kind, "-n", NS, "-l", selector, "-o", "jsonpath=" + path).trim();
  }

  /** A flow task on the scanners whose command echoes its name; {@code extra} is one more field. */
  private static String task(String name, String extra) {
    return "- name: "
        + name
        + "\n"
        + (extra.isEmpty() ? "" : "  " + extra + "\n")
        + "  spec: {"
        + SCANNER
        + ", script: 'echo "
        + name
        + "'}\n";
  }

  private static String spansText(Map<String, Instant[]> spans) {
    return spans.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()[0] + ".." + e.getValue()[1])
        .collect(Collectors.joining(", "));
  }
}
