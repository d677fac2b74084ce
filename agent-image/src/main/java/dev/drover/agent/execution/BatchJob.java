package dev.drover.agent.execution;

import dev.drover.agent.execution.StatusReporter.Delivery;
import dev.drover.agent.process.CommandLine;
import dev.drover.agent.process.OutputSink;
import dev.drover.agent.process.ProcessOutcome;
import dev.drover.agent.process.ProcessRunner;
import dev.drover.api.Timestamps;
import dev.drover.api.execution.BatchProgress;
import dev.drover.api.execution.BatchProgress.ItemFailure;
import dev.drover.api.execution.BatchProgress.ItemResult;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionSpec;
import dev.drover.api.execution.TaskExecutionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * A batch of items (itemsPerExecution) this agent runs, each item its own process with DROVER_ITEM
 * set to it. The items take the agent's worker threads one at a time like any execution, so a batch
 * runs as many at once as the agent has free slots, never more than its capacity, and shares them
 * fairly with the agent's other work.
 *
 * <p>Items start in batch order, and each start is recorded in the execution's status before the
 * item's process starts, as a single execution is reported Running before its process starts. An
 * agent restarted mid-batch therefore resumes after the last recorded start: items recorded as
 * running have an unknown outcome and are reported Lost (the operator retries them), and no item
 * that started runs again.
 */
final class BatchJob implements Work {
  /** Failures whose output tail is kept; later ones keep their exit code and reason only. */
  static final int FAILURE_MESSAGES = 10;

  static final int FAILURE_MESSAGE_CHARS = 256;

  /** Results kept in one execution's status, which must stay far below the API's object limit. */
  static final int RESULT_BUDGET_CHARS = 256 * 1024;

  private final ExecutionKey key;
  private final TaskExecutionSpec spec;
  private final Instant created;
  private final Job.Context context;
  private final List<Runnable> queued = new ArrayList<>();
  private final Set<ProcessRunner> runners = ConcurrentHashMap.newKeySet();

  // Guarded by this.
  private String startTime;
  private int started;
  private int succeeded;
  private int resultChars;
  private final Set<Integer> running = new LinkedHashSet<>();
  private final List<ItemFailure> failed = new ArrayList<>();
  private final List<ItemResult> results = new ArrayList<>();
  private CompletableFuture<Delivery> latestReport = CompletableFuture.completedFuture(null);
  private boolean takingItems = true;
  private boolean ended;
  private boolean cancelled;
  private boolean stoppedByShutdown;
  private String fencedBecause;

  private BatchJob(ExecutionKey key, TaskExecution execution, Job.Context context) {
    this.key = key;
    this.spec = execution.getSpec();
    this.created = Timestamps.parse(execution.getMetadata().getCreationTimestamp());
    this.context = context;
  }

  /** A batch none of whose items this agent has started. */
  static BatchJob fresh(ExecutionKey key, TaskExecution execution, Job.Context context) {
    return new BatchJob(key, execution, context);
  }

  /**
   * A batch an earlier process of this agent started and did not finish: it goes on after the last
   * recorded start, and the items that were running then are Lost.
   */
  static BatchJob resumed(ExecutionKey key, TaskExecution execution, Job.Context context) {
    BatchJob job = new BatchJob(key, execution, context);
    TaskExecutionStatus status = execution.getStatus();
    BatchProgress progress = status.batch() == null ? BatchProgress.NONE : status.batch();
    job.startTime = status.startTime();
    job.started = progress.started();
    job.succeeded = progress.succeeded();
    job.failed.addAll(progress.failedOrEmpty());
    job.results.addAll(progress.resultsOrEmpty());
    progress.resultsOrEmpty().forEach(r -> job.resultChars += r.result().length());
    for (int index : progress.runningOrEmpty()) {
      job.failed.add(
          new ItemFailure(
              index,
              ExecutionPhase.Lost,
              null,
              "AgentRestarted",
              "the agent restarted while this item ran; its outcome is unknown"));
    }
    return job;
  }

  @Override
  public synchronized void submit(ThreadPoolExecutor workers) {
    if (started == spec.items().size()) {
      end(); // resumed with nothing left to start
      return;
    }
    for (int i = started; i < spec.items().size(); i++) {
      Runnable item = this::runNextItem;
      queued.add(item);
      workers.execute(item);
    }
  }

  @Override
  public synchronized boolean withdraw(ThreadPoolExecutor workers) {
    takingItems = false;
    queued.forEach(workers::remove);
    return started == 0;
  }

  /** Starts the batch's next item, if it has one and still takes items, and reports its outcome. */
  private void runNextItem() {
    int position;
    CompletableFuture<Delivery> recorded;
    synchronized (this) {
      if (!takingItems || started == spec.items().size()) {
        return;
      }
      position = started++;
      running.add(indexAt(position));
      if (startTime == null) {
        startTime = Timestamps.format(context.clock().instant());
        if (created != null) {
          context.metrics().started(Duration.between(created, context.clock().instant()));
        }
      }
      recorded = report(progressStatus());
    }
    Delivery delivery = awaitRecorded(recorded);
    if (delivery == Delivery.DROPPED || delivery == Delivery.GONE) {
      // The agent is stopping, or the operator ended or deleted the batch: nothing more starts.
      abandon();
      return;
    }
    ProcessRunner runner = new ProcessRunner(context.outputTailBytes());
    runners.add(runner);
    if (stopping()) {
      runner.cancel(); // stopped while the start was recorded: the process never starts
    }
    context.running().incrementAndGet();
    try {
      ProcessOutcome outcome =
          runner.run(
              CommandLine.of(
                  itemSpec(position),
                  key.namespace(),
                  context.agentName(),
                  context.resultDirectory().resolve("result-" + key.uid() + "-" + position)),
              spec.workingDir(),
              spec.timeoutSeconds() == null ? null : Duration.ofSeconds(spec.timeoutSeconds()),
              OutputSink.NONE,
              pid -> {});
      itemEnded(indexAt(position), outcome);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      runners.remove(runner);
      context.running().decrementAndGet();
    }
  }

  /**
   * Waits until a status that records this item's start is written. A report superseded by a later
   * one is confirmed by that one, which records every start the earlier did.
   */
  private Delivery awaitRecorded(CompletableFuture<Delivery> report) {
    Delivery delivery = report.join();
    while (delivery == Delivery.SUPERSEDED) {
      synchronized (this) {
        report = latestReport;
      }
      delivery = report.join();
    }
    return delivery;
  }

  private synchronized void itemEnded(int index, ProcessOutcome outcome) {
    running.remove(index);
    if (ended) {
      return;
    }
    ProcessOutcome reported = asReported(outcome);
    if (reported.phase() != ExecutionPhase.Succeeded) {
      fail(index, reported.phase(), reported.exitCode(), reported.reason(), reported.output());
    } else if (reported.result() == null) {
      succeeded++;
    } else if (resultChars + reported.result().length() > RESULT_BUDGET_CHARS) {
      fail(
          index,
          ExecutionPhase.Failed,
          reported.exitCode(),
          "ResultTooLarge",
          "the batch's results would exceed " + RESULT_BUDGET_CHARS + " characters");
    } else {
      succeeded++;
      resultChars += reported.result().length();
      results.add(new ItemResult(index, reported.result()));
    }
    if (running.isEmpty() && (started == spec.items().size() || cancelled || fenced())) {
      end();
    } else {
      report(progressStatus());
    }
  }

  private void fail(int index, ExecutionPhase phase, Integer exitCode, String reason, String out) {
    String message = failed.size() < FAILURE_MESSAGES ? tail(out) : null;
    failed.add(new ItemFailure(index, phase, exitCode, reason, message));
  }

  /** Reports the batch's outcome: every item has one, or it was cancelled or fenced. */
  private void end() {
    ended = true;
    ExecutionPhase phase;
    String reason;
    if (fenced()) {
      phase = ExecutionPhase.Lost;
      reason = "Fenced";
    } else if (cancelled) {
      phase = ExecutionPhase.Cancelled;
      reason = "Cancelled";
    } else if (failed.isEmpty()) {
      phase = ExecutionPhase.Succeeded;
      reason = "Completed";
    } else {
      phase = ExecutionPhase.Failed;
      reason = "ItemsFailed";
    }
    Instant now = context.clock().instant();
    report(
        TaskExecutionStatus.of(phase, reason, summary())
            .startedAt(startTime)
            .completedAt(now)
            .withBatch(progress()));
    Instant start = Timestamps.parse(startTime);
    context.metrics().finished(phase, start == null ? null : Duration.between(start, now));
  }

  private TaskExecutionStatus progressStatus() {
    return TaskExecutionStatus.of(ExecutionPhase.Running, "Started", summary())
        .startedAt(startTime)
        .withBatch(progress());
  }

  private BatchProgress progress() {
    return new BatchProgress(
        started, succeeded, List.copyOf(running), List.copyOf(failed), List.copyOf(results));
  }

  private String summary() {
    return succeeded
        + " of "
        + spec.items().size()
        + " item(s) succeeded"
        + (failed.isEmpty() ? "" : ", " + failed.size() + " did not");
  }

  private CompletableFuture<Delivery> report(TaskExecutionStatus status) {
    latestReport = context.reporter().report(key, status);
    return latestReport;
  }

  /** Lost, whatever the process did, once the agent let go of the batch or is stopping. */
  private ProcessOutcome asReported(ProcessOutcome outcome) {
    if (fenced()) {
      return new ProcessOutcome(
          ExecutionPhase.Lost, outcome.exitCode(), "Fenced", fencing().orElse(""));
    }
    if (stoppedByShutdown) {
      return new ProcessOutcome(
          ExecutionPhase.Lost, outcome.exitCode(), "AgentShutdown", outcome.output());
    }
    return outcome;
  }

  private boolean fenced() {
    return fencing().isPresent();
  }

  private Optional<String> fencing() {
    return fencedBecause != null ? Optional.of(fencedBecause) : context.fence().breached();
  }

  private synchronized boolean stopping() {
    return !takingItems && (cancelled || stoppedByShutdown || fencedBecause != null || ended);
  }

  private int indexAt(int position) {
    return spec.itemIndices().get(position);
  }

  private TaskExecutionSpec itemSpec(int position) {
    return spec.toBuilder().item(spec.items().get(position)).items(null).itemIndices(null).build();
  }

  private static String tail(String output) {
    if (output == null || output.length() <= FAILURE_MESSAGE_CHARS) {
      return output;
    }
    return output.substring(output.length() - FAILURE_MESSAGE_CHARS);
  }

  @Override
  public synchronized void fence(String why) {
    fencedBecause = why;
  }

  @Override
  public void cancel() {
    synchronized (this) {
      cancelled = true;
      if (running.isEmpty() && !ended) {
        takingItems = false;
        end();
        return;
      }
    }
    stopItems();
  }

  @Override
  public void abandon() {
    synchronized (this) {
      ended = true;
    }
    stopItems();
  }

  /**
   * Stops the running items, which are reported Lost; the batch itself stays unfinished, and the
   * agent's next process goes on with the items that never started.
   */
  @Override
  public void stopForShutdown() {
    synchronized (this) {
      stoppedByShutdown = true;
    }
    stopItems();
  }

  /** Starts no more items and kills the processes of those running. */
  private void stopItems() {
    synchronized (this) {
      takingItems = false;
    }
    runners.forEach(ProcessRunner::cancel);
  }
}
