package dev.drover.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drover.api.execution.ExecutionPhase;
import java.nio.file.Files;
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
  @TempDir Path dir;

  private CommandLine sh(String script) {
    return new CommandLine(
        List.of("/bin/sh", "-c", script),
        Map.of("GREETING", "hi", "DROVER_RESULT", resultFile().toString()),
        resultFile());
  }

  private ProcessOutcome runToItsEnd(String script) throws InterruptedException {
    return new ProcessRunner(4096).run(sh(script), null, null, pid -> {});
  }

  private Path resultFile() {
    return dir.resolve("result");
  }

  @Test
  void aSuccessfulCommandReportsItsExitCodeAndOutput() throws InterruptedException {
    ProcessOutcome outcome = runToItsEnd("echo $GREETING; echo oops >&2");

    assertThat(outcome.phase()).isEqualTo(ExecutionPhase.Succeeded);
    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.output()).isEqualTo("hi\noops\n");
  }

  @Test
  void aNonZeroExitFails() throws InterruptedException {
    ProcessOutcome outcome = runToItsEnd("echo broken; exit 3");

    assertThat(outcome.phase()).isEqualTo(ExecutionPhase.Failed);
    assertThat(outcome.exitCode()).isEqualTo(3);
    assertThat(outcome.output()).isEqualTo("broken\n");
  }

  @Test
  void aCommandThatDoesNotExistFailsWithExitCode127() throws InterruptedException {
    ProcessOutcome outcome =
        new ProcessRunner(4096)
            .run(
                new CommandLine(List.of("/no/such/program"), Map.of(), resultFile()),
                null,
                null,
                pid -> {});

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
  void aRunCancelledBeforeItStartsNeverStartsItsCommand() throws InterruptedException {
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
        runToItsEnd("head -c 100000000 /dev/zero | tr '\\0' x; echo; echo the-end");

    assertThat(outcome.phase()).isEqualTo(ExecutionPhase.Succeeded);
    assertThat(outcome.output()).hasSize(4096).endsWith("x\nthe-end\n");
  }

  @Test
  void aMissingWorkingDirectoryFailsToStart() throws InterruptedException {
    ProcessOutcome outcome =
        new ProcessRunner(4096).run(sh("true"), "/no/such/dir", null, pid -> {});

    assertThat(outcome.reason()).isEqualTo("StartFailed");
  }

  @Test
  void whatTheCommandLeavesInItsResultFileIsItsResultWithoutTrailingNewlines()
      throws InterruptedException {
    ProcessOutcome outcome = runToItsEnd("printf 'dumped 42 tables\\r\\n\\n' > \"$DROVER_RESULT\"");

    assertThat(outcome.phase()).isEqualTo(ExecutionPhase.Succeeded);
    assertThat(outcome.result()).isEqualTo("dumped 42 tables");
  }

  @Test
  void aFailedCommandKeepsItsResultToo() throws InterruptedException {
    ProcessOutcome outcome = runToItsEnd("echo 'db-3 unreachable' > \"$DROVER_RESULT\"; exit 3");

    assertThat(outcome.phase()).isEqualTo(ExecutionPhase.Failed);
    assertThat(outcome.reason()).isEqualTo("NonZeroExit");
    assertThat(outcome.result()).isEqualTo("db-3 unreachable");
  }

  @Test
  void theResultFileIsThereAndEmptyWhenTheCommandStartsAndGoneAfterwards()
      throws InterruptedException {
    ProcessOutcome outcome =
        runToItsEnd("test -f \"$DROVER_RESULT\" && test ! -s \"$DROVER_RESULT\"");

    assertThat(outcome.phase()).isEqualTo(ExecutionPhase.Succeeded);
    assertThat(outcome.result()).isNull();
    assertThat(resultFile()).doesNotExist();
  }

  @Test
  void aResultOfExactlyTheLimitIsKept() throws InterruptedException {
    ProcessOutcome outcome =
        runToItsEnd("head -c 16384 /dev/zero | tr '\\0' x > \"$DROVER_RESULT\"");

    assertThat(outcome.phase()).isEqualTo(ExecutionPhase.Succeeded);
    assertThat(outcome.result()).hasSize(ResultFile.LIMIT_BYTES);
  }

  @Test
  void aResultOverTheLimitFailsTheAttemptAlthoughTheCommandSucceeded() throws InterruptedException {
    ProcessOutcome outcome =
        runToItsEnd("head -c 20480 /dev/zero | tr '\\0' x > \"$DROVER_RESULT\"; echo dumped");

    assertThat(outcome.phase()).isEqualTo(ExecutionPhase.Failed);
    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.reason()).isEqualTo("ResultTooLarge");
    assertThat(outcome.output())
        .isEqualTo("result file is 20480 bytes; the limit is 16384 (16 KiB)\ndumped\n");
    assertThat(outcome.result()).isNull();
    assertThat(resultFile()).doesNotExist();
  }

  @Test
  void aResultFileTheCommandDeletedOrReplacedByAPipeIsNoResult() throws InterruptedException {
    ProcessOutcome deleted = runToItsEnd("rm \"$DROVER_RESULT\"");
    ProcessOutcome pipe = runToItsEnd("rm \"$DROVER_RESULT\" && mkfifo \"$DROVER_RESULT\"");

    assertThat(deleted.phase()).isEqualTo(ExecutionPhase.Succeeded);
    assertThat(deleted.result()).isNull();
    assertThat(pipe.phase()).isEqualTo(ExecutionPhase.Succeeded);
    assertThat(pipe.result()).isNull();
  }

  @Test
  void aResultThatIsNotUtf8IsKeptWithReplacementCharacters() throws InterruptedException {
    ProcessOutcome outcome = runToItsEnd("printf 'ok \\377' > \"$DROVER_RESULT\"");

    assertThat(outcome.result()).isEqualTo("ok \uFFFD");
  }

  @Test
  void aKilledCommandHasNoResult() throws InterruptedException {
    ProcessOutcome outcome =
        new ProcessRunner(4096)
            .run(
                sh("echo partial > \"$DROVER_RESULT\"; sleep 60"),
                null,
                Duration.ofSeconds(1),
                pid -> {});

    assertThat(outcome.phase()).isEqualTo(ExecutionPhase.TimedOut);
    assertThat(outcome.result()).isNull();
    assertThat(resultFile()).doesNotExist();
  }

  @Test
  void aResultFileThatExistsAlreadyIsNeverShared() throws Exception {
    Files.writeString(resultFile(), "another run's result");

    ProcessOutcome outcome = runToItsEnd("true");

    assertThat(outcome.phase()).isEqualTo(ExecutionPhase.Failed);
    assertThat(outcome.reason()).isEqualTo("StartFailed");
    assertThat(outcome.output()).startsWith("cannot create the result file");
  }

  private static List<ProcessHandle> childrenSleeping60() {
    return ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().commandLine().map(c -> c.contains("sleep 60")).orElse(false))
        .toList();
  }
}
