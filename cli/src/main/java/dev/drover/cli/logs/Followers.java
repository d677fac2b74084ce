package dev.drover.cli.logs;

import dev.drover.api.execution.TaskExecution;
import dev.drover.cli.logs.ExecutionOutput.Request;
import dev.drover.cli.support.Targets;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Follows several executions' outputs at once, each on a thread of its own, until each ends. */
public final class Followers {
  private final ExecutionOutput output;
  private final OutputPrinter printer;
  private final PrintWriter err;
  private final boolean prefixed;
  private final boolean timestamps;
  private final Set<String> followed = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  public Followers(
      ExecutionOutput output,
      OutputPrinter printer,
      PrintWriter err,
      boolean prefixed,
      boolean timestamps) {
    this.output = output;
    this.printer = printer;
    this.err = err;
    this.prefixed = prefixed;
    this.timestamps = timestamps;
  }

  /** Starts following the execution from {@code offset}, unless it is followed already. */
  public void follow(TaskExecution execution, long offset) {
    if (!followed.add(execution.getMetadata().getName())) {
      return;
    }
    Thread thread =
        new Thread(() -> copy(execution, offset), "follow-" + execution.getMetadata().getName());
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  private void copy(TaskExecution execution, long offset) {
    try {
      var opened = output.open(execution, new Request(offset, true, timestamps));
      try (var stream = opened.stream()) {
        if (prefixed) {
          printer.prefixed(Targets.name(execution), stream);
        } else {
          printer.raw(stream);
        }
      }
    } catch (IOException e) {
      err.println(
          "notice: the output of " + Targets.name(execution) + " broke off: " + e.getMessage());
      err.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for every followed output to end, at most {@code limit} in all. */
  public void awaitAll(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    for (Thread thread : threads) {
      thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
  }
}
