package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ScheduledTasks on a real API server, firing on real agents. */
class ScheduleIT extends RealCluster {
  /** Twelve runs due every five seconds take a minute; this much is left for a busy machine. */
  private static final Duration A_MINUTE_OF_RUNS = Duration.ofMinutes(3);

  private static final String TEMPLATE =
      """
        runTemplate:
          spec:
            selector: {matchLabels: {role: scanner}}
            dispatch: Single
            script: %s
      """;

  @Test
  void theBackupExampleFiresEveryFiveSecondsOnTimeForAMinute() throws Exception {
    startAFreshOperator();
    kubectl.ok("apply", "-n", NS, "-f", example("backup-schedule.yaml"));

    await()
        .atMost(A_MINUTE_OF_RUNS)
        .until(() -> metric(scrapeMetrics(), "drover_schedule_lateness_seconds_count", null) >= 12);

    String metrics = scrapeMetrics();
    assertThat(metric(metrics, "drover_schedule_lateness_seconds_count", null))
        .isGreaterThanOrEqualTo(12);
    assertThat(metric(metrics, "drover_schedule_lateness_seconds_max", null)).isLessThan(2.0);
    assertThat(jsonPath("scheduledtask", "backup", "{.status.missed}")).isEqualTo("0");
    String runs = kubectl.ok("get", "taskruns", "-n", NS, "-l", "drover.dev/scheduled-task=backup");
    assertThat(lines(runs).stream().filter(l -> l.contains("Succeeded"))).hasSizeBetween(2, 3);
    assertThat(lines(kubectl.ok("get", "scheduledtasks", "-n", NS)).get(0))
        .contains("SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LASTSCHEDULE", "NEXTRUN");
    assertThat(kubectl.ok("get", "scheduledtasks", "backup", "-n", NS))
        .contains("*/5 * * * * *", "Europe/Berlin");
  }

  @Test
  void forbidSkipsDueTimesWhileARunIsActive() throws IOException {
    apply("exclusive", "  schedule: \"*/2 * * * * *\"\n  concurrencyPolicy: Forbid", "sleep 5");

    await()
        .atMost(PATIENCE)
        .until(
            () ->
                Long.parseLong(orZero(jsonPath("scheduledtask", "exclusive", "{.status.missed}")))
                    >= 3);
    suspend("exclusive");

    List<String> spans =
        lines(
            kubectl.ok(
                "get",
                "taskruns",
                "-n",
                NS,
                "-l",
                "drover.dev/scheduled-task=exclusive",
                "--sort-by",
                ".metadata.annotations.drover\\.dev/scheduled-time",
                "-o",
                "jsonpath={range .items[*]}{.status.startTime} {.status.completionTime}{\"\\n"
                    + "\"}{end}"));
    for (int i = 1; i < spans.size(); i++) {
      String[] previous = spans.get(i - 1).split(" ");
      if (previous.length == 2) {
        assertThat(spans.get(i).split(" ")[0])
            .as("run %d starts after run %d ended", i, i - 1)
            .isGreaterThanOrEqualTo(previous[1]);
      }
    }
    assertThat(
            kubectl.ok(
                "get", "events", "-n", NS, "--field-selector", "involvedObject.name=exclusive"))
        .contains("RunSkipped");
  }

  @Test
  void replaceCancelsTheActiveRun() throws IOException {
    apply("replacing", "  schedule: \"*/3 * * * * *\"\n  concurrencyPolicy: Replace", "sleep 30");

    await()
        .atMost(PATIENCE)
        .until(
            () ->
                lines(
                            kubectl.ok(
                                "get",
                                "taskruns",
                                "-n",
                                NS,
                                "-l",
                                "drover.dev/scheduled-task=replacing",
                                "--no-headers"))
                        .size()
                    >= 2);
    suspend("replacing");

    String first =
        kubectl.ok(
            "get",
            "taskruns",
            "-n",
            NS,
            "-l",
            "drover.dev/scheduled-task=replacing",
            "--sort-by",
            ".metadata.annotations.drover\\.dev/scheduled-time",
            "-o",
            "jsonpath={.items[0].metadata.name}");
    kubectl.ok("wait", "-n", NS, "--for=condition=Failed", "taskrun/" + first, "--timeout=60s");
    assertThat(jsonPath("taskrun", first, "{.status.phase}")).isEqualTo("Cancelled");
  }

  @Test
  void theManualTriggerFiresOncePerToken() throws IOException {
    apply("by-hand", "  schedule: \"@yearly\"\n  suspend: true", "echo by hand");

    for (String token : List.of("one", "one", "two")) {
      kubectl.ok(
          "annotate",
          "scheduledtask",
          "by-hand",
          "-n",
          NS,
          "--overwrite",
          "drover.dev/run-now=" + token);
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  token.equals(jsonPath("scheduledtask", "by-hand", "{.status.lastManualToken}")));
    }

    await()
        .atMost(PATIENCE)
        .until(
            () ->
                lines(
                            kubectl.ok(
                                "get",
                                "taskruns",
                                "-n",
                                NS,
                                "-l",
                                "drover.dev/scheduled-task=by-hand",
                                "--no-headers"))
                        .size()
                    == 2);
    assertThat(
            lines(
                kubectl.ok(
                    "get",
                    "taskruns",
                    "-n",
                    NS,
                    "-l",
                    "drover.dev/scheduled-task=by-hand",
                    "--no-headers")))
        .hasSize(2);
  }

  @Test
  void anOperatorStoppedForThreeDueTimesFiresOnceOnReturn() throws Exception {
    apply(
        "patient",
        "  schedule: \"*/2 * * * * *\"\n"
            + "  startingDeadlineSeconds: 30\n"
            + "  missedRunPolicy: RunOnce\n"
            + "  successfulRunsHistoryLimit: 50",
        "exit 0");
    await()
        .atMost(PATIENCE)
        .until(() -> !jsonPath("scheduledtask", "patient", "{.status.lastScheduleTime}").isEmpty());

    processes.kill("operator");
    Instant stopped = Instant.now();
    awaitThreeDueTimesOfEvenSecondsAfter(stopped);
    processes.restart("operator");

    await()
        .atMost(PATIENCE)
        .until(
            () ->
                Long.parseLong(orZero(jsonPath("scheduledtask", "patient", "{.status.missed}")))
                    >= 2);
    List<Instant> dues =
        lines(
                kubectl.ok(
                    "get",
                    "taskruns",
                    "-n",
                    NS,
                    "-l",
                    "drover.dev/scheduled-task=patient",
                    "-o",
                    "jsonpath={range"
                        + " .items[*]}{.metadata.annotations.drover\\.dev/scheduled-time}{\"\\n"
                        + "\"}{end}"))
            .stream()
            .map(Instant::parse)
            .sorted()
            .toList();
    assertThat(dues).doesNotHaveDuplicates();
    // RunOnce: the latest missed due time (named in the last MissedRuns event) got a run; the
    // earlier ones inside the outage got none.
    String missedEvents =
        kubectl.ok(
            "get",
            "events",
            "-n",
            NS,
            "--field-selector",
            "involvedObject.name=patient,reason=MissedRuns",
            "-o",
            "jsonpath={.items[*].message}");
    Matcher upTo = Pattern.compile("up to (\\S+) passed without a run").matcher(missedEvents);
    Instant latestMissed = null;
    while (upTo.find()) {
      Instant instant = Instant.parse(upTo.group(1));
      latestMissed = latestMissed == null || instant.isAfter(latestMissed) ? instant : latestMissed;
    }
    assertThat(latestMissed).as("a MissedRuns event in %s", missedEvents).isNotNull();
    Instant fired = latestMissed;
    Instant lastBeforeOutage =
        dues.stream().filter(d -> d.isBefore(stopped)).reduce((a, b) -> b).orElseThrow();
    String evidence = "stopped " + stopped + ", due times " + dues + ", events " + missedEvents;
    assertThat(dues).as(evidence).contains(fired);
    assertThat(dues.stream().filter(d -> d.isAfter(lastBeforeOutage) && d.isBefore(fired)))
        .as("runs for the other missed due times; " + evidence)
        .isEmpty();
    assertThat(Duration.between(lastBeforeOutage, fired))
        .as(evidence)
        .isGreaterThanOrEqualTo(Duration.ofSeconds(6));
  }

  /**
   * A schedule a test leaves active (also one that failed before suspending it) would keep firing
   * into the next tests, taking agents and adding to the lateness metrics.
   */
  @AfterEach
  void suspendEverySchedule() {
    String names =
        kubectl.ok("get", "scheduledtasks", "-n", NS, "-o", "jsonpath={.items[*].metadata.name}");
    for (String name : names.split(" ")) {
      if (!name.isBlank()) {
        suspend(name);
      }
    }
  }

  private void suspend(String scheduledTask) {
    kubectl.ok(
        "patch",
        "scheduledtask",
        scheduledTask,
        "-n",
        NS,
        "--type",
        "merge",
        "-p",
        "{\"spec\":{\"suspend\":true}}");
  }

  /**
   * Replaces the operator with a fresh one, whose lateness metrics then hold this test's runs only
   * (an earlier test's late run stays in a histogram's max for minutes), and waits until it has
   * judged every agent: it reconciles by then, so the first due time is not missed while it starts.
   */
  private void startAFreshOperator() throws IOException, InterruptedException {
    processes.kill("operator");
    processes.restart("operator");
    await()
        .atMost(PATIENCE)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(metric(scrapeMetrics(), "drover_agents", "state=\"Ready\""))
                    .isEqualTo(agentPorts.size()));
  }

  /**
   * Waits while the operator is down until three due times of a schedule firing on every even
   * second have passed: the outage the test is about.
   */
  private static void awaitThreeDueTimesOfEvenSecondsAfter(Instant stopped) {
    Instant thirdDueTime = Instant.ofEpochSecond((stopped.getEpochSecond() / 2 + 3) * 2);
    await().atMost(PATIENCE).until(() -> Instant.now().isAfter(thirdDueTime));
  }

  private void apply(String name, String trigger, String script) throws IOException {
    String yaml =
        """
        apiVersion: drover.dev/v1alpha1
        kind: ScheduledTask
        metadata: {name: %s}
        spec:
        %s
        %s\
        """
            .formatted(name, trigger, TEMPLATE.formatted(script));
    Files.writeString(work.resolve(name + ".yaml"), yaml);
    kubectl.ok("apply", "-n", NS, "-f", work.resolve(name + ".yaml").toString());
  }

  private static String orZero(String value) {
    return value.isEmpty() ? "0" : value;
  }
}
