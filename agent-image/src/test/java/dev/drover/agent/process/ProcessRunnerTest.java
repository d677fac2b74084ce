package dev.drover.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drover.api.execution.ExecutionPhase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real processes. */
class ProcessRunnerTest {
  private static CommandLine sh(String script) {
    return new CommandLine(List.of("/bin/sh", "-c", script), Map.of("GREETING", "hi"));
  }

  @Test
  void aSuccessfulCommandReportsItsExitCodeAndOutput() throws InterruptedException {
    ProcessOutcome outcome =
        new ProcessRunner(4096).run(sh("echo $GREETING; echo oops >&2"), null, null, pid -> {});

    assertThat(outcome.phase()).isEqualTo(ExecutionPhase.Succeeded);
    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.output()).isEqualTo("hi\noops\n");
  }

  @Test
  void aNonZeroExitFails() throws InterruptedException {
    ProcessOutcome outcome =
        new ProcessRunner(4096).run(sh("echo broken; exit 3"), null, null, pid -> {});

    assertThat(outcome.phase()).isEqualTo(ExecutionPhase.Failed);
    assertThat(outcome.exitCode()).isEqualTo(3);
    assertThat(outcome.output()).isEqualTo("broken\n");
  }

  @Test
  void aCommandThatDoesNotExistFailsWithExitCode127() throws InterruptedException {
    ProcessOutcome outcome =
        new ProcessRunner(4096)
            .run(new CommandLine(List.of("/no/such/program"), Map.of()), null, null, pid -> {});

    assertThat(outcome.phase()).isEqualTo(ExecutionPhase.Failed);
    assertThat(outcome.exitCode()).isEqualTo(127);
    assertThat(outcome.reason()).isEqualTo("StartFailed");
    assertThat(outcome.output()).contains("/no/such/program");
  }

  @Test
  void aTimeoutKillsTheWholeProcessTree() throws InterruptedException {
    AtomicLong pid = new AtomicLong();
    // The child sleeps in the background so that killing only the shell would leave it running.
    ProcessOutcome outcome =
        new ProcessRunner(4096)
            .run(sh("sleep 60 & echo started; wait"), null, Duration.ofSeconds(1), pid::set);

    assertThat(outcome.phase()).isEqualTo(ExecutionPhase.TimedOut);
    assertThat(outcome.output()).contains("killed after 1s").contains("started");
    assertThat(ProcessHandle.of(pid.get())).isEmpty();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(childrenSleeping60()).isEmpty());
  }

  @Test
  void cancelStopsARunningCommand() throws Exception {
    ProcessRunner runner = new ProcessRunner(4096);
    AtomicLong pid = new AtomicLong();
    CompletableFuture<ProcessOutcome> outcome =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return runner.run(sh("echo waiting; sleep 60"), null, null, pid::set);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> pid.get() != 0);

    runner.cancel();

    assertThat(outcome.get().phase()).isEqualTo(ExecutionPhase.Cancelled);
    assertThat(ProcessHandle.of(pid.get())).isEmpty();
  }

  @Test
  void aRunCancelledBeforeItStartsNeverStartsItsCommand(@TempDir Path dir)
      throws InterruptedException {
    ProcessRunner runner = new ProcessRunner(4096);
    runner.cancel();

    ProcessOutcome outcome = runner.run(sh("touch " + dir.resolve("ran")), null, null, pid -> {});

    assertThat(outcome.phase()).isEqualTo(ExecutionPhase.Cancelled);
    assertThat(outcome.output()).isEqualTo("cancelled before it started");
    assertThat(dir.resolve("ran")).doesNotExist();
  }

  @Test
  void aHundredMegabytesOfOutputKeepOnlyTheTail() throws InterruptedException {
    ProcessOutcome outcome =
        new ProcessRunner(4096)
            .run(
                sh("head -c 100000000 /dev/zero | tr '\\0' x; echo; echo the-end"),
                null,
                null,
                pid -> {});

    assertThat(outcome.phase()).isEqualTo(ExecutionPhase.Succeeded);
    assertThat(outcome.output()).hasSize(4096).endsWith("x\nthe-end\n");
  }

  @Test
  void aMissingWorkingDirectoryFailsToStart() throws InterruptedException {
    ProcessOutcome outcome =
        new ProcessRunner(4096).run(sh("true"), "/no/such/dir", null, pid -> {});

    assertThat(outcome.reason()).isEqualTo("StartFailed");
  }

  private static List<ProcessHandle> childrenSleeping60() {
    return ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().commandLine().map(c -> c.contains("sleep 60")).orElse(false))
        .toList();
  }
}
