package dev.drover.agent.process;

import dev.drover.api.execution.ExecutionPhase;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Runs one command line to its end, its timeout or its cancellation, keeping a bounded tail of its
 * merged stdout and stderr and, if it ends by itself, the result it left in its result file. A
 * timeout or a cancel stops the whole process tree.
 */
public final class ProcessRunner {
  private static final Duration TERMINATION_GRACE = Duration.ofSeconds(5);
  private static final Duration OUTPUT_DRAIN_LIMIT = Duration.ofSeconds(5);

  private final OutputTail tail;
  private Process process;
  private volatile boolean cancelled;

  public ProcessRunner(int tailBytes) {
    this.tail = new OutputTail(tailBytes);
  }

  /** How many bytes of output the process has written so far. */
  public long outputBytes() {
    return tail.totalBytes();
  }

  /** The tail of the output written so far. */
  public String outputTail() {
    return tail.text();
  }

  /**
   * Runs the command, calling {@code onStarted} with its process id once it is running.
   *
   * @param timeout per-attempt limit, or null for none
   */
  public ProcessOutcome run(
      CommandLine commandLine, String workingDir, Duration timeout, LongConsumer onStarted)
      throws InterruptedException {
    return run(commandLine, workingDir, timeout, OutputSink.NONE, onStarted);
  }

  /**
   * Runs the command as {@link #run(CommandLine, String, Duration, LongConsumer)} does, handing
   * every byte of its output to {@code sink} too and closing the sink when the run ends.
   */
  public ProcessOutcome run(
      CommandLine commandLine,
      String workingDir,
      Duration timeout,
      OutputSink sink,
      LongConsumer onStarted)
      throws InterruptedException {
    if (commandLine.argv().isEmpty()) {
      sink.close();
      return new ProcessOutcome(
          ExecutionPhase.Failed, null, "InvalidCommand", "no command or script to run");
    }
    ProcessBuilder builder = new ProcessBuilder(commandLine.argv()).redirectErrorStream(true);
    builder.environment().putAll(commandLine.environment());
    if (workingDir != null) {
      builder.directory(new File(workingDir));
    }
    try (ResultFile resultFile = ResultFile.create(commandLine.resultFile())) {
      return run(builder, resultFile, timeout, sink, onStarted);
    } catch (IOException e) {
      return new ProcessOutcome(
          ExecutionPhase.Failed, null, "StartFailed", "cannot create the result file: " + e);
    } finally {
      sink.close();
    }
  }

  private ProcessOutcome run(
      ProcessBuilder builder,
      ResultFile resultFile,
      Duration timeout,
      OutputSink sink,
      LongConsumer onStarted)
      throws InterruptedException {
    Process started;
    // Starting and cancelling exclude each other: a run cancelled first never starts its command.
    synchronized (this) {
      if (cancelled) {
        return new ProcessOutcome(
            ExecutionPhase.Cancelled, null, "Cancelled", "cancelled before it started");
      }
      try {
        started = builder.start();
      } catch (IOException e) {
        return new ProcessOutcome(ExecutionPhase.Failed, 127, "StartFailed", e.getMessage());
      }
      process = started;
    }
    Thread drainer = new Thread(() -> drain(started, sink), "output-" + started.pid());
    drainer.setDaemon(true);
    drainer.start();
    onStarted.accept(started.pid());
    boolean exited =
        timeout == null
            ? waitUntilExit(started)
            : started.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!exited) {
      killTree(started);
    }
    int exitCode = started.waitFor();
    drainer.join(OUTPUT_DRAIN_LIMIT.toMillis());
    if (cancelled) {
      return new ProcessOutcome(ExecutionPhase.Cancelled, exitCode, "Cancelled", tail.text());
    }
    if (!exited) {
      return new ProcessOutcome(
          ExecutionPhase.TimedOut,
          exitCode,
          "Timeout",
          "killed after " + timeout.toSeconds() + "s\n" + tail.text());
    }
    // Only a command that ended by itself has finished its result.
    return resultFile.settle(
        new ProcessOutcome(
            exitCode == 0 ? ExecutionPhase.Succeeded : ExecutionPhase.Failed,
            exitCode,
            exitCode == 0 ? "Completed" : "NonZeroExit",
            tail.text()));
  }

  /** Stops the run: the process tree is killed and the outcome is Cancelled. */
  public void cancel() {
    Process running;
    synchronized (this) {
      cancelled = true;
      running = process;
    }
    if (running != null && running.isAlive()) {
      killTree(running);
    }
  }

  private static boolean waitUntilExit(Process p) throws InterruptedException {
    p.waitFor();
    return true;
  }

  private void drain(Process p, OutputSink sink) {
    try {
      InputStream in = p.getInputStream();
      byte[] chunk = new byte[8192];
      for (int n; (n = in.read(chunk)) >= 0; ) {
        tail.append(chunk, n);
        sink.write(chunk, n);
      }
    } catch (IOException e) {
      // the pipe closed under a killed process: the tail keeps what was read
    }
  }

  /** Asks the tree to terminate, then forces whatever is left after a grace period. */
  public static void killTree(ProcessHandle root) {
    List<ProcessHandle> tree = Stream.concat(root.descendants(), Stream.of(root)).toList();
    tree.forEach(ProcessHandle::destroy);
    try {
      root.onExit().get(TERMINATION_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // still alive after the grace period: forced below
    }
    tree.forEach(ProcessHandle::destroyForcibly);
  }

  private static void killTree(Process p) {
    killTree(p.toHandle());
  }
}
