package dev.drover.agent.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drover.agent.execution.StatusReporter.Delivery;
import dev.drover.agent.execution.StatusReporter.Retry;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecutionStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatusReporterTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final Retry QUICK =
      new Retry(Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofMillis(10));
  private static final Retry AN_HOUR_APART =
      new Retry(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1));

  private final ExecutionKey scan = new ExecutionKey("ops", "scan-1", "uid-1");
  private final ExecutionKey backup = new ExecutionKey("ops", "backup-1", "uid-2");
  private final FakeStatusWriter api = new FakeStatusWriter();
  private StatusReporter reporter;

  @AfterEach
  void stop() {
    api.release();
    reporter.halt();
  }

  @Test
  void reportingReturnsWithoutWaitingForTheWrite() {
    reporter = new StatusReporter(api, QUICK);
    api.hold();

    CompletableFuture<Delivery> delivery = reporter.report(scan, status(ExecutionPhase.Running));

    assertThat(delivery).isNotDone();
    api.release();
    assertThat(delivery).succeedsWithin(PATIENCE).isEqualTo(Delivery.WRITTEN);
  }

  @Test
  void aFailedWriteIsRetriedUntilItIsWritten() {
    reporter = new StatusReporter(api.failing(scan, 2), QUICK);

    assertThat(reporter.report(scan, status(ExecutionPhase.Succeeded)))
        .succeedsWithin(PATIENCE)
        .isEqualTo(Delivery.WRITTEN);
    assertThat(api.attemptedPhases(scan)).hasSize(3);
    assertThat(api.writtenPhases(scan)).containsExactly(ExecutionPhase.Succeeded);
  }

  @Test
  void aReportIsGivenUpOnceItsRetryBudgetIsSpent() {
    reporter = new StatusReporter(api.failingAlways(scan), QUICK);

    assertThat(reporter.report(scan, status(ExecutionPhase.Succeeded)))
        .succeedsWithin(PATIENCE)
        .isEqualTo(Delivery.GAVE_UP);
    assertThat(api.attemptedPhases(scan)).hasSize(1 + QUICK.waits().size());
  }

  @Test
  void aDelayedReportIsNotWrittenWhenALaterOneComesWithinTheDelay() {
    reporter = new StatusReporter(api, QUICK);

    CompletableFuture<Delivery> detail =
        reporter.reportAfter(scan, status(ExecutionPhase.Running), Duration.ofHours(1));
    CompletableFuture<Delivery> outcome = reporter.report(scan, status(ExecutionPhase.Succeeded));

    assertThat(detail).succeedsWithin(PATIENCE).isEqualTo(Delivery.SUPERSEDED);
    assertThat(outcome).succeedsWithin(PATIENCE).isEqualTo(Delivery.WRITTEN);
    assertThat(api.attemptedPhases(scan)).containsExactly(ExecutionPhase.Succeeded);
  }

  @Test
  void aDelayedReportIsWrittenOnceItsDelayHasPassed() {
    reporter = new StatusReporter(api, QUICK);

    assertThat(reporter.reportAfter(scan, status(ExecutionPhase.Running), Duration.ofMillis(50)))
        .succeedsWithin(PATIENCE)
        .isEqualTo(Delivery.WRITTEN);
  }

  @Test
  void aReportForADeletedExecutionIsNotRetried() {
    reporter = new StatusReporter(api.deleted(scan), QUICK);

    assertThat(reporter.report(scan, status(ExecutionPhase.Succeeded)))
        .succeedsWithin(PATIENCE)
        .isEqualTo(Delivery.GONE);
    assertThat(api.attemptedPhases(scan)).hasSize(1);
  }

  @Test
  void aNewerReportReplacesOneWaitingToBeRetried() {
    reporter = new StatusReporter(api.failing(scan, 1), AN_HOUR_APART);
    CompletableFuture<Delivery> running = reporter.report(scan, status(ExecutionPhase.Running));
    await().atMost(PATIENCE).until(() -> api.attemptedPhases(scan).size() == 1);

    CompletableFuture<Delivery> succeeded = reporter.report(scan, status(ExecutionPhase.Succeeded));

    assertThat(succeeded).succeedsWithin(PATIENCE).isEqualTo(Delivery.WRITTEN);
    assertThat(running).isCompletedWithValue(Delivery.SUPERSEDED);
    assertThat(api.writtenPhases(scan)).containsExactly(ExecutionPhase.Succeeded);
  }

  @Test
  void reportsMadeDuringASlowWriteLeaveOnlyTheLatestToWrite() {
    reporter = new StatusReporter(api, QUICK);
    api.hold();
    reporter.report(scan, status(ExecutionPhase.Queued));
    await().atMost(PATIENCE).until(() -> !api.attemptedPhases(scan).isEmpty());
    CompletableFuture<Delivery> running = reporter.report(scan, status(ExecutionPhase.Running));
    CompletableFuture<Delivery> failed = reporter.report(scan, status(ExecutionPhase.Failed));

    api.release();

    assertThat(failed).succeedsWithin(PATIENCE).isEqualTo(Delivery.WRITTEN);
    assertThat(running).isCompletedWithValue(Delivery.SUPERSEDED);
    assertThat(api.attemptedPhases(scan))
        .containsExactly(ExecutionPhase.Queued, ExecutionPhase.Failed);
  }

  @Test
  void oneExecutionWaitingToRetryDoesNotHoldUpAnother() {
    reporter = new StatusReporter(api.failingAlways(scan), AN_HOUR_APART);
    CompletableFuture<Delivery> stuck = reporter.report(scan, status(ExecutionPhase.Running));

    assertThat(reporter.report(backup, status(ExecutionPhase.Running)))
        .succeedsWithin(PATIENCE)
        .isEqualTo(Delivery.WRITTEN);
    assertThat(stuck).isNotDone();
  }

  @Test
  void shutdownWaitsForUnwrittenReportsWithinTheGrace() {
    reporter = new StatusReporter(api.failing(scan, 3), QUICK);
    CompletableFuture<Delivery> outcome = reporter.report(scan, status(ExecutionPhase.Lost));

    reporter.shutdown(PATIENCE);

    assertThat(outcome).isCompletedWithValue(Delivery.WRITTEN);
  }

  @Test
  void shutdownDropsWhatIsStillUnwrittenAfterTheGrace() {
    reporter = new StatusReporter(api.failingAlways(scan), AN_HOUR_APART);
    CompletableFuture<Delivery> outcome = reporter.report(scan, status(ExecutionPhase.Lost));

    reporter.shutdown(Duration.ofMillis(50));

    assertThat(outcome).isCompletedWithValue(Delivery.DROPPED);
  }

  @Test
  void aHaltedReporterWritesNothingMore() {
    reporter = new StatusReporter(api.failingAlways(scan), AN_HOUR_APART);
    CompletableFuture<Delivery> waiting = reporter.report(scan, status(ExecutionPhase.Running));

    reporter.halt();

    assertThat(waiting).isCompletedWithValue(Delivery.DROPPED);
    assertThat(reporter.report(backup, status(ExecutionPhase.Succeeded)))
        .isCompletedWithValue(Delivery.DROPPED);
    assertThat(api.attemptedPhases(backup)).isEmpty();
  }

  private static TaskExecutionStatus status(ExecutionPhase phase) {
    return TaskExecutionStatus.of(phase, null, null);
  }
}
