package dev.drover.agent.execution;

import static dev.drover.agent.execution.TestExecutions.batch;
import static dev.drover.agent.execution.TestExecutions.cancelRequested;
import static dev.drover.agent.execution.TestExecutions.key;
import static dev.drover.agent.execution.TestExecutions.outputs;
import static dev.drover.agent.execution.TestExecutions.slots;
import static dev.drover.agent.execution.TestExecutions.supervisor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.drover.api.execution.BatchProgress;
import dev.drover.api.execution.BatchProgress.ItemFailure;
import dev.drover.api.execution.BatchProgress.ItemResult;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent running batches of items (itemsPerExecution), with real processes and a fake API. */
class BatchJobTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final FakeStatusWriter api = new FakeStatusWriter();
  private final ExecutionSupervisor supervisor = supervisor(slots(2), api, outputs());

  @AfterEach
  void stop() {
    supervisor.halt();
  }

  @Test
  void eachItemRunsOnceAsItsOwnProcessAndFailuresAreNamedByIndex() throws IOException {
    TaskExecution scan =
        batch(
            "scan",
            List.of("a", "b", "c", "d", "e"),
            10,
            "echo \"$DROVER_ITEM $DROVER_ATTEMPT\" >> "
                + ran()
                + "; [ \"$DROVER_ITEM\" != c ] || exit 3",
            null);

    supervisor.onObserved(scan);

    TaskExecutionStatus outcome = awaitFinished(scan);
    assertThat(outcome.phase()).isEqualTo(ExecutionPhase.Failed);
    assertThat(outcome.reason()).isEqualTo("ItemsFailed");
    assertThat(outcome.startTime()).isNotNull();
    assertThat(outcome.batch().started()).isEqualTo(5);
    assertThat(outcome.batch().succeeded()).isEqualTo(4);
    assertThat(outcome.batch().running()).isEmpty();
    assertThat(outcome.batch().failed())
        .singleElement()
        .satisfies(
            failure -> {
              assertThat(failure.index()).isEqualTo(12);
              assertThat(failure.phase()).isEqualTo(ExecutionPhase.Failed);
              assertThat(failure.exitCode()).isEqualTo(3);
            });
    assertThat(Files.readAllLines(ran()))
        .containsExactlyInAnyOrder("a 1", "b 1", "c 1", "d 1", "e 1");
  }

  @Test
  void noMoreItemsRunAtOnceThanTheAgentsCapacity() {
    TaskExecution scan = batch("scan", List.of("a", "b", "c", "d", "e", "f"), 0, "sleep 0.2", null);

    supervisor.onObserved(scan);

    assertThat(awaitFinished(scan).phase()).isEqualTo(ExecutionPhase.Succeeded);
    assertThat(api.written(key(scan)))
        .allSatisfy(status -> assertThat(status.batch().running()).hasSizeLessThanOrEqualTo(2))
        .anySatisfy(status -> assertThat(status.batch().running()).hasSize(2));
  }

  @Test
  void noItemStartsBeforeItsStartIsRecorded() throws IOException {
    TaskExecution scan = batch("scan", List.of("a", "b"), 0, "echo $DROVER_ITEM >> " + ran(), null);
    api.hold();

    supervisor.onObserved(scan);

    await().atMost(PATIENCE).until(() -> !api.attempts().isEmpty());
    assertThat(ran()).doesNotExist();
    api.release();
    assertThat(awaitFinished(scan).phase()).isEqualTo(ExecutionPhase.Succeeded);
    assertThat(Files.readAllLines(ran())).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void aRestartedAgentGoesOnAfterTheLastRecordedStartAndReportsRunningItemsLost()
      throws IOException {
    BatchProgress before =
        new BatchProgress(
            3,
            1,
            List.of(12),
            List.of(new ItemFailure(11, ExecutionPhase.Failed, 1, "NonZeroExit", "no")),
            List.of(new ItemResult(10, "ten")));
    TaskExecution scan =
        batch(
            "scan",
            List.of("a", "b", "c", "d", "e"),
            10,
            "echo $DROVER_ITEM >> " + ran(),
            TaskExecutionStatus.of(ExecutionPhase.Running, "Started", null)
                .startedAt("2026-01-01T00:00:00Z")
                .withBatch(before));

    supervisor.onObserved(scan);

    TaskExecutionStatus outcome = awaitFinished(scan);
    assertThat(Files.readAllLines(ran())).containsExactlyInAnyOrder("d", "e");
    assertThat(outcome.startTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(outcome.batch().started()).isEqualTo(5);
    assertThat(outcome.batch().succeeded()).isEqualTo(3);
    assertThat(outcome.batch().results()).containsExactly(new ItemResult(10, "ten"));
    assertThat(outcome.batch().failed())
        .extracting(ItemFailure::index, ItemFailure::phase)
        .containsExactly(tuple(11, ExecutionPhase.Failed), tuple(12, ExecutionPhase.Lost));
  }

  @Test
  void whatItemsLeaveInTheirResultFileIsReportedByIndex() {
    TaskExecution dump =
        batch(
            "dump",
            List.of("x", "y", "z"),
            0,
            "[ \"$DROVER_ITEM\" = y ] || echo \"done $DROVER_ITEM\" > \"$DROVER_RESULT\"",
            null);

    supervisor.onObserved(dump);

    assertThat(awaitFinished(dump).batch().results())
        .containsExactlyInAnyOrder(new ItemResult(0, "done x"), new ItemResult(2, "done z"));
  }

  @Test
  void aCancelledBatchStopsItsRunningItemsAndStartsNoMore() throws IOException {
    TaskExecution scan =
        batch(
            "scan",
            List.of("a", "b", "c", "d", "e", "f"),
            0,
            "echo $DROVER_ITEM >> " + ran() + "; sleep 30",
            null);
    supervisor.onObserved(scan);
    await()
        .atMost(PATIENCE)
        .until(() -> Files.exists(ran()) && Files.readAllLines(ran()).size() == 2);

    supervisor.onObserved(cancelRequested(scan));

    TaskExecutionStatus outcome = awaitFinished(scan);
    assertThat(outcome.phase()).isEqualTo(ExecutionPhase.Cancelled);
    assertThat(outcome.batch().started()).isEqualTo(2);
    assertThat(outcome.batch().failed())
        .extracting(ItemFailure::phase)
        .containsOnly(ExecutionPhase.Cancelled);
    assertThat(Files.readAllLines(ran())).hasSize(2);
  }

  private Path ran() {
    return dir.resolve("ran");
  }

  private TaskExecutionStatus awaitFinished(TaskExecution execution) {
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                api.written(key(execution)).stream()
                    .anyMatch(s -> s.phase() != null && s.phase().isFinished()));
    return api.written(key(execution)).stream()
        .filter(s -> s.phase().isFinished())
        .findFirst()
        .orElseThrow();
  }
}
