package dev.drover.agent.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.drover.agent.AgentSettings;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionSpec;
import dev.drover.api.execution.TaskExecutionStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The supervisor with real processes and a fake API. */
class ExecutionSupervisorTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final String STARTED_EARLIER = "2026-01-01T00:00:00Z";

  @TempDir Path dir;
  private final FakeStatusWriter api = new FakeStatusWriter();
  private final ExecutionSupervisor supervisor = supervisorWithOneSlot();

  @AfterEach
  void stop() {
    supervisor.halt();
  }

  @Test
  void aNewExecutionIsReportedRunningThenFinishedWithItsOutput() {
    TaskExecution scan = execution("scan", "echo hello", null);

    supervisor.onObserved(scan);

    await()
        .atMost(PATIENCE)
        .until(() -> api.writtenPhases(key(scan)).contains(ExecutionPhase.Succeeded));
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
  void aRestartedAgentReportsWorkItWasRunningLostAndStopsTheLeftoverProcess() throws IOException {
    Process leftover = new ProcessBuilder("sleep", "60").start();
    TaskExecution scan =
        execution(
            "scan",
            "touch " + marker(),
            TaskExecutionStatus.of(ExecutionPhase.Running, "Started", null)
                .startedAt(STARTED_EARLIER)
                .withProcessId(leftover.pid()));

    supervisor.onObserved(scan);

    await().atMost(PATIENCE).until(() -> !api.written(key(scan)).isEmpty());
    assertThat(api.written(key(scan)))
        .singleElement()
        .satisfies(
            lost -> {
              assertThat(lost.phase()).isEqualTo(ExecutionPhase.Lost);
              assertThat(lost.reason()).isEqualTo("AgentRestarted");
              assertThat(lost.startTime()).isEqualTo(STARTED_EARLIER);
              assertThat(lost.processId()).isEqualTo(leftover.pid());
              assertThat(lost.completionTime()).isNotNull();
            });
    await().atMost(PATIENCE).until(() -> !leftover.isAlive());
    assertNeverRan(scan);
  }

  @Test
  void aRestartedAgentStopsTheLeftoverProcessOfWorkCancelledMeanwhile() throws IOException {
    Process leftover = new ProcessBuilder("sleep", "60").start();
    TaskExecution scan =
        cancelRequested(
            execution(
                "scan",
                "touch " + marker(),
                TaskExecutionStatus.of(ExecutionPhase.Running, "Started", null)
                    .startedAt(STARTED_EARLIER)
                    .withProcessId(leftover.pid())));

    supervisor.onObserved(scan);

    await().atMost(PATIENCE).until(() -> !api.written(key(scan)).isEmpty());
    assertThat(api.written(key(scan)))
        .singleElement()
        .satisfies(
            cancelled -> {
              assertThat(cancelled.phase()).isEqualTo(ExecutionPhase.Cancelled);
              assertThat(cancelled.startTime()).isEqualTo(STARTED_EARLIER);
              assertThat(cancelled.processId()).isEqualTo(leftover.pid());
              assertThat(cancelled.completionTime()).isNotNull();
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
    await()
        .atMost(PATIENCE)
        .until(() -> api.writtenPhases(key(scan)).contains(ExecutionPhase.Succeeded));
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

  private ExecutionSupervisor supervisorWithOneSlot() {
    AgentSettings settings =
        new AgentSettings(
            "node-a",
            Map.of(),
            List.of("ops"),
            1,
            4096,
            "drover-system",
            Duration.ofSeconds(15),
            Duration.ofSeconds(5),
            "node-a.example",
            "test");
    return new ExecutionSupervisor(settings, api, Clock.systemUTC(), new SimpleMeterRegistry());
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

  private static ExecutionKey key(TaskExecution execution) {
    return ExecutionKey.of(execution);
  }

  private static TaskExecution execution(String name, String script, TaskExecutionStatus status) {
    TaskExecution execution = new TaskExecution();
    execution.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("ops")
            .withName(name)
            .withUid("uid-" + name)
            .withCreationTimestamp("2026-01-01T00:00:00Z")
            .build());
    execution.setSpec(
        TaskExecutionSpec.builder()
            .run(name)
            .unit("single")
            .attempt(1)
            .agent("node-a")
            .script(script)
            .build());
    execution.setStatus(status);
    return execution;
  }

  private static TaskExecution cancelRequested(TaskExecution execution) {
    TaskExecution copy =
        execution(
            execution.getMetadata().getName(), execution.getSpec().script(), execution.getStatus());
    copy.setSpec(copy.getSpec().cancelled());
    return copy;
  }
}
