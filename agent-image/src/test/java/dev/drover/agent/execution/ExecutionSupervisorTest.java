package dev.drover.agent.execution;

import static dev.drover.agent.execution.TestExecutions.cancelRequested;
import static dev.drover.agent.execution.TestExecutions.execution;
import static dev.drover.agent.execution.TestExecutions.key;
import static dev.drover.agent.execution.TestExecutions.oneSlot;
import static dev.drover.agent.execution.TestExecutions.outputs;
import static dev.drover.agent.execution.TestExecutions.slots;
import static dev.drover.agent.execution.TestExecutions.supervisor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.drover.agent.fencing.ManualTime;
import dev.drover.agent.output.OutputStore;
import dev.drover.agent.output.StoredOutput;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The supervisor with real processes and a fake API. */
class ExecutionSupervisorTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final String STARTED_EARLIER = "2026-01-01T00:00:00Z";

  @TempDir Path dir;
  private final FakeStatusWriter api = new FakeStatusWriter();
  private final OutputStore outputs = outputs();
  private final ExecutionSupervisor supervisor = supervisor(oneSlot(), api, outputs);

  @AfterEach
  void stop() {
    supervisor.halt();
  }

  @Test
  void aNewExecutionIsReportedRunningThenFinishedWithItsOutput() {
    TaskExecution scan = execution("scan", "echo hello", null);

    supervisor.onObserved(scan);

    awaitSucceeded(scan);
    List<TaskExecutionStatus> written = api.written(key(scan));
    assertThat(written.get(0).phase()).isEqualTo(ExecutionPhase.Running);
    assertThat(written.get(written.size() - 1))
        .satisfies(
            outcome -> {
              assertThat(outcome.exitCode()).isZero();
              assertThat(outcome.message()).isEqualTo("hello\n");
              assertThat(outcome.startTime()).isEqualTo(written.get(0).startTime());
              assertThat(outcome.completionTime()).isNotNull();
            });
  }

  @Test
  void theResultACommandLeavesIsReportedWithItsOutcome() {
    TaskExecution dump = execution("dump", "echo 'dumped 42 tables' > \"$DROVER_RESULT\"", null);

    supervisor.onObserved(dump);

    awaitSucceeded(dump);
    assertThat(api.written(key(dump)))
        .last()
        .extracting(TaskExecutionStatus::result)
        .isEqualTo("dumped 42 tables");
  }

  @Test
  void executionsRunningAtOnceEachHaveTheirOwnResultFile() {
    ExecutionSupervisor twoSlots =
        new ExecutionSupervisor(
            slots(2),
            api,
            outputs(),
            Clock.systemUTC(),
            new ManualTime().fence(Duration.ofSeconds(15)),
            new SimpleMeterRegistry());
    // Each writes its result, then waits until the other has written its own before it exits.
    TaskExecution a = execution("a", writeResultThenAwait("b"), null);
    TaskExecution b = execution("b", writeResultThenAwait("a"), null);
    try {
      twoSlots.onObserved(a);
      twoSlots.onObserved(b);

      awaitSucceeded(a);
      awaitSucceeded(b);
    } finally {
      twoSlots.halt();
    }
    assertThat(api.written(key(a))).last().extracting(TaskExecutionStatus::result).isEqualTo("a");
    assertThat(api.written(key(b))).last().extracting(TaskExecutionStatus::result).isEqualTo("b");
  }

  private String writeResultThenAwait(String other) {
    return "printf %s \"$DROVER_RUN\" > \"$DROVER_RESULT\"; touch "
        + dir.resolve("$DROVER_RUN")
        + "; until [ -e "
        + dir.resolve(other)
        + " ]; do sleep 0.1; done";
  }

  /** Lost, as its outcome is unknown; Cancelled, if a cancel was asked meanwhile. */
  @ParameterizedTest
  @CsvSource({"false, Lost, AgentRestarted", "true, Cancelled, Cancelled"})
  void aRestartedAgentEndsWorkItWasRunningAndStopsTheLeftoverProcess(
      boolean cancel, ExecutionPhase phase, String reason) throws IOException {
    Process leftover = new ProcessBuilder("sleep", "60").start();
    TaskExecution running =
        execution(
            "scan",
            "touch " + marker(),
            TaskExecutionStatus.of(ExecutionPhase.Running, "Started", null)
                .startedAt(STARTED_EARLIER)
                .withProcessId(leftover.pid()));
    TaskExecution scan = cancel ? cancelRequested(running) : running;

    supervisor.onObserved(scan);

    await().atMost(PATIENCE).until(() -> !api.written(key(scan)).isEmpty());
    assertThat(api.written(key(scan)))
        .singleElement()
        .satisfies(
            ended -> {
              assertThat(ended.phase()).isEqualTo(phase);
              assertThat(ended.reason()).isEqualTo(reason);
              assertThat(ended.startTime()).isEqualTo(STARTED_EARLIER);
              assertThat(ended.processId()).isEqualTo(leftover.pid());
              assertThat(ended.completionTime()).isNotNull();
            });
    await().atMost(PATIENCE).until(() -> !leftover.isAlive());
    assertNeverRan(scan);
  }

  @ParameterizedTest
  @EnumSource(
      value = ExecutionPhase.class,
      names = {"Succeeded", "Failed", "TimedOut", "Cancelled", "Lost"})
  void aRestartedAgentNeverRunsFinishedWorkAgain(ExecutionPhase finished) {
    TaskExecution scan =
        execution(
            "scan",
            "touch " + marker(),
            TaskExecutionStatus.of(finished, null, null).startedAt(STARTED_EARLIER));

    supervisor.onObserved(scan);

    assertNeverRan(scan);
    assertThat(api.attempts()).isEmpty();
  }

  @Test
  void anExecutionSeenAgainIsNotStartedTwice() throws IOException {
    TaskExecution scan = execution("scan", "echo ran >> " + marker(), null);

    supervisor.onObserved(scan);
    supervisor.onObserved(scan);
    awaitSucceeded(scan);
    supervisor.onObserved(scan);

    assertThat(Files.readAllLines(marker())).containsExactly("ran");
  }

  @Test
  void anExecutionEndedElsewhereBeforeItsCommandStartedNeverStartsIt() {
    TaskExecution scan = execution("scan", "touch " + marker(), null);
    api.deleted(key(scan));

    supervisor.onObserved(scan);

    await().atMost(PATIENCE).until(() -> !api.attempts().isEmpty());
    assertNeverStarted();
  }

  @Test
  void anExecutionCancelledBeforeItStartedIsReportedCancelledWithoutRunning() {
    TaskExecution scan = cancelRequested(execution("scan", "touch " + marker(), null));

    supervisor.onObserved(scan);

    await().atMost(PATIENCE).until(() -> !api.written(key(scan)).isEmpty());
    assertThat(api.written(key(scan)))
        .singleElement()
        .satisfies(
            cancelled -> {
              assertThat(cancelled.phase()).isEqualTo(ExecutionPhase.Cancelled);
              assertThat(cancelled.message()).isEqualTo("cancelled before it started");
            });
    assertNeverRan(scan);
  }

  @Test
  void anExecutionBeyondCapacityWaitsAsQueuedAndCanBeCancelledThere() {
    TaskExecution busy = execution("busy", "sleep 60", null);
    TaskExecution waiting = execution("waiting", "touch " + marker(), null);
    supervisor.onObserved(busy);

    supervisor.onObserved(waiting);
    await().atMost(PATIENCE).until(() -> !api.written(key(waiting)).isEmpty());
    supervisor.onObserved(cancelRequested(waiting));

    await().atMost(PATIENCE).until(() -> api.written(key(waiting)).size() == 2);
    supervisor.onObserved(cancelRequested(busy));
    assertThat(api.written(key(waiting)))
        .extracting(TaskExecutionStatus::phase, TaskExecutionStatus::reason)
        .containsExactly(
            tuple(ExecutionPhase.Queued, "AtCapacity"),
            tuple(ExecutionPhase.Cancelled, "Cancelled"));
    assertNeverRan(waiting);
  }

  @Test
  void eventsDoNotWaitForAnUnreachableApi() {
    TaskExecution busy = execution("busy", "sleep 60", null);
    TaskExecution waiting = execution("waiting", "true", null);
    api.failingAlways(key(waiting));
    supervisor.onObserved(busy);
    supervisor.onObserved(waiting);

    CompletableFuture<Void> cancelling =
        CompletableFuture.runAsync(() -> supervisor.onObserved(cancelRequested(waiting)));

    assertThat(cancelling).succeedsWithin(Duration.ofSeconds(1));
  }

  @Test
  void workStillRunningAfterTheShutdownGraceIsStoppedAndReportedLost() throws InterruptedException {
    TaskExecution scan = execution("scan", "sleep 60", null);
    supervisor.onObserved(scan);
    await().atMost(PATIENCE).until(() -> supervisor.running() == 1);

    supervisor.shutdown(Duration.ofSeconds(2));

    assertThat(api.written(key(scan)))
        .last()
        .satisfies(
            lost -> {
              assertThat(lost.phase()).isEqualTo(ExecutionPhase.Lost);
              assertThat(lost.reason()).isEqualTo("AgentShutdown");
            });
  }

  @Test
  void aRunningCommandsOutputSoFarIsShownInItsStatusOnlyWhenItChanged() throws Exception {
    Path go = dir.resolve("go");
    TaskExecution waiting =
        execution(
            "waiting",
            "echo started; while [ ! -e " + go + " ]; do sleep 0.05; done; echo finished",
            null);

    supervisor.onObserved(waiting);

    await().atMost(PATIENCE).until(() -> progressReports(waiting).contains("started\n"));
    await()
        .during(Duration.ofMillis(800))
        .atMost(PATIENCE)
        .until(() -> progressReports(waiting), reports -> reports.equals(List.of("started\n")));
    Files.createFile(go);
    awaitSucceeded(waiting);
    assertThat(api.written(key(waiting)))
        .last()
        .extracting(TaskExecutionStatus::message)
        .isEqualTo("started\nfinished\n");
  }

  @Test
  void noProgressIsWrittenAfterTheOutcomeOfACommandThatPrintsToItsLastMoment() {
    TaskExecution busy =
        execution(
            "busy", "i=0; while [ $i -lt 40 ]; do i=$((i+1)); echo $i; sleep 0.02; done", null);

    supervisor.onObserved(busy);

    awaitSucceeded(busy);
    await()
        .during(Duration.ofMillis(600))
        .atMost(PATIENCE)
        .until(
            () -> api.writtenPhases(key(busy)),
            phases -> phases.get(phases.size() - 1) == ExecutionPhase.Succeeded);
    assertThat(progressReports(busy)).as("progress while it ran").isNotEmpty();
    List<ExecutionPhase> phases = api.writtenPhases(key(busy));
    assertThat(phases.subList(phases.indexOf(ExecutionPhase.Succeeded), phases.size()))
        .containsExactly(ExecutionPhase.Succeeded);
  }

  @Test
  void aCommandThatPrintsNothingWhileItRunsCausesNoProgressWrites() throws Exception {
    Path go = dir.resolve("go");
    TaskExecution silent =
        execution("silent", "while [ ! -e " + go + " ]; do sleep 0.05; done", null);

    supervisor.onObserved(silent);

    await()
        .atMost(PATIENCE)
        .until(() -> api.written(key(silent)).stream().anyMatch(s -> s.processId() != null));
    int writtenOnceStarted = api.written(key(silent)).size();
    await()
        .during(Duration.ofMillis(800))
        .atMost(PATIENCE)
        .until(() -> api.written(key(silent)).size(), written -> written == writtenOnceStarted);
    Files.createFile(go);
    awaitSucceeded(silent);
    assertThat(progressReports(silent)).isEmpty();
  }

  @Test
  void theWholeOutputOfAnExecutionIsKeptUnderItsNamespaceAndName() throws Exception {
    TaskExecution chatty = execution("chatty", "seq 1 2000", null);

    supervisor.onObserved(chatty);

    awaitSucceeded(chatty);
    StoredOutput kept = outputs.find("ops", "chatty").orElseThrow();
    assertThat(kept.complete()).isTrue();
    assertThat(kept.size()).as("more than the tail in status").isEqualTo(8893);
    assertThat(api.written(key(chatty)))
        .last()
        .extracting(s -> s.message().length())
        .isEqualTo(4096);
  }

  /** The messages of Running statuses written with output in them. */
  private List<String> progressReports(TaskExecution execution) {
    return api.written(key(execution)).stream()
        .filter(status -> status.phase() == ExecutionPhase.Running && status.message() != null)
        .map(TaskExecutionStatus::message)
        .toList();
  }

  private void awaitSucceeded(TaskExecution execution) {
    await()
        .atMost(PATIENCE)
        .until(() -> api.writtenPhases(key(execution)).contains(ExecutionPhase.Succeeded));
  }

  /** Stops the supervisor, letting any job it started finish, and checks it never ran this one. */
  private void assertNeverRan(TaskExecution execution) {
    assertNeverStarted();
    assertThat(api.attemptedPhases(key(execution))).doesNotContain(ExecutionPhase.Running);
  }

  /** Stops the supervisor, letting any job it started finish, and checks no command ran. */
  private void assertNeverStarted() {
    try {
      supervisor.shutdown(PATIENCE);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertThat(marker()).doesNotExist();
  }

  private Path marker() {
    return dir.resolve("ran");
  }
}
