package dev.drover.agent.execution;

import static dev.drover.agent.execution.TestExecutions.execution;
import static dev.drover.agent.execution.TestExecutions.key;
import static dev.drover.agent.execution.TestExecutions.oneSlot;
import static dev.drover.agent.execution.TestExecutions.outputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drover.agent.fencing.LeaseFence;
import dev.drover.agent.fencing.LeaseKeeper;
import dev.drover.agent.fencing.ManualTime;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent whose Lease lapses: real processes, a fake API, a fake Lease and clocks that move only
 * when told. Renewals happen when a test calls for one.
 */
class FencingTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final Duration FENCE_AFTER = Duration.ofSeconds(15);
  private static final String BREACH = "the agent could not renew its Lease for 15s";

  @TempDir Path dir;
  private final ManualTime time = new ManualTime();
  private final LeaseFence fence = time.fence(FENCE_AFTER);
  private final FakeStatusWriter api = new FakeStatusWriter();
  private final ExecutionSupervisor supervisor =
      new ExecutionSupervisor(
          oneSlot(), api, outputs(), Clock.systemUTC(), fence, new SimpleMeterRegistry());

  /** What the agent's informers hold: every execution it was shown, as last shown. */
  private final Map<String, TaskExecution> seen = new ConcurrentHashMap<>();

  private volatile boolean leaseReachable = true;
  private final LeaseKeeper keeper =
      new LeaseKeeper(
          fence,
          () -> leaseReachable,
          supervisor::fence,
          () -> supervisor.unfence(seen.values()),
          Duration.ofHours(1));

  @AfterEach
  void stop() {
    keeper.close();
    supervisor.halt();
  }

  @Test
  void renewalsFailingPastTheDeadlineStopRunningWorkAndReportItLost() {
    TaskExecution scan = observe(execution("scan", "sleep 60", null));
    long pid = awaitProcess(scan);

    leaseReachable = false;
    time.advance(FENCE_AFTER);
    keeper.renew();

    await().atMost(PATIENCE).until(() -> ProcessHandle.of(pid).isEmpty());
    assertFenced(scan, BREACH);
  }

  @Test
  void aLongPauseFencesAtTheFirstCheckAfterWakingThenWorkIsTakenAgain() {
    TaskExecution scan = observe(execution("scan", "sleep 60", null));
    long pid = awaitProcess(scan);

    time.advance(Duration.ofMinutes(5)); // stopped, then continued: the Lease is reachable
    keeper.renew();

    await().atMost(PATIENCE).until(() -> ProcessHandle.of(pid).isEmpty());
    assertFenced(scan, "the agent could not renew its Lease for 300s");
    TaskExecution next = observe(execution("next", "echo next", null));
    awaitFinished(next, ExecutionPhase.Succeeded);
  }

  @Test
  void anOutcomeReachedAfterTheDeadlineIsReportedLostNotSucceeded() throws IOException {
    TaskExecution scan = observe(execution("scan", untilExists(go()), null));
    awaitProcess(scan);

    time.advance(FENCE_AFTER); // no renewal check has come round yet
    Files.createFile(go());

    assertFenced(scan, BREACH);
    assertThat(api.written(key(scan)))
        .last()
        .extracting(TaskExecutionStatus::exitCode)
        .isEqualTo(0);
  }

  @Test
  void anOutcomeReachedBeforeTheDeadlineIsReportedAsItIs() throws IOException {
    TaskExecution scan = observe(execution("scan", untilExists(go()), null));
    awaitProcess(scan);

    time.advance(FENCE_AFTER.minusMillis(1));
    Files.createFile(go());

    awaitFinished(scan, ExecutionPhase.Succeeded);
  }

  @Test
  void workTakenAsTheDeadlinePassesUnnoticedNeverStartsItsCommand() {
    time.advance(FENCE_AFTER);

    TaskExecution scan = observe(execution("scan", "touch " + marker(), null));

    assertFenced(scan, BREACH);
    assertThat(marker()).doesNotExist();
  }

  @Test
  void queuedWorkIsDroppedUnreportedAndTakenAgainOnceTheLeaseIsRenewed() {
    TaskExecution busy = observe(execution("busy", "sleep 60", null));
    awaitProcess(busy);
    TaskExecution waiting = observe(execution("waiting", "touch " + marker(), null));
    await().atMost(PATIENCE).until(() -> !api.written(key(waiting)).isEmpty());

    leaseReachable = false;
    time.advance(FENCE_AFTER);
    keeper.renew();
    assertFenced(busy, BREACH);
    assertThat(api.attemptedPhases(key(waiting))).containsExactly(ExecutionPhase.Queued);
    assertThat(marker()).doesNotExist();

    leaseReachable = true;
    keeper.renew();

    awaitFinished(waiting, ExecutionPhase.Succeeded);
    assertThat(marker()).exists();
  }

  @Test
  void newWorkSeenWhileFencedIsTakenOnlyOnceTheLeaseIsRenewed() {
    leaseReachable = false;
    time.advance(FENCE_AFTER);
    keeper.renew();

    TaskExecution scan = observe(execution("scan", "touch " + marker(), null));
    assertThat(api.attempts()).isEmpty();

    leaseReachable = true;
    keeper.renew();

    awaitFinished(scan, ExecutionPhase.Succeeded);
    assertThat(marker()).exists();
  }

  /** Shows the execution to the supervisor as an informer would, keeping it in the cache. */
  private TaskExecution observe(TaskExecution execution) {
    seen.put(execution.getMetadata().getUid(), execution);
    supervisor.onObserved(execution);
    return execution;
  }

  private long awaitProcess(TaskExecution execution) {
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                api.written(key(execution)).stream()
                    .anyMatch(status -> status.processId() != null));
    return api.written(key(execution)).stream()
        .filter(status -> status.processId() != null)
        .findFirst()
        .orElseThrow()
        .processId();
  }

  private void awaitFinished(TaskExecution execution, ExecutionPhase phase) {
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                api.written(key(execution)).stream()
                    .anyMatch(status -> status.phase().isFinished()));
    assertThat(api.writtenPhases(key(execution))).last().isEqualTo(phase);
  }

  private void assertFenced(TaskExecution execution, String breach) {
    awaitFinished(execution, ExecutionPhase.Lost);
    assertThat(api.written(key(execution)))
        .last()
        .satisfies(
            lost -> {
              assertThat(lost.reason()).isEqualTo("Fenced");
              assertThat(lost.message()).startsWith(breach);
            });
  }

  private static String untilExists(Path file) {
    return "while [ ! -e " + file + " ]; do sleep 0.05; done";
  }

  private Path go() {
    return dir.resolve("go");
  }

  private Path marker() {
    return dir.resolve("ran");
  }
}
