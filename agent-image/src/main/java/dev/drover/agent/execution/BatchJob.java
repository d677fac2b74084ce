package dev.drover.agent.execution;

import dev.drover.agent.execution.StatusReporter.Delivery;
import dev.drover.agent.process.CommandLine;
import dev.drover.agent.process.OutputSink;
import dev.drover.agent.process.ProcessOutcome;
import dev.drover.agent.process.ProcessRunner;
import dev.drover.api.Timestamps;
import dev.drover.api.execution.BatchProgress;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionSpec;
import dev.drover.api.execution.TaskExecutionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
  private final ExecutionKey key;
  private final TaskExecutionSpec spec;
  private final Instant created;
  private final Job.Context context;
  private final List<Runnable> queued = new ArrayList<>();
  private final Set<ProcessRunner> runners = ConcurrentHashMap.newKeySet();

  // Guarded by this.
  private final BatchLedger ledger;
  private String startTime;
  private CompletableFuture<Delivery> latestReport = CompletableFuture.completedFuture(null);
  private boolean takingItems = true;
  private boolean ended;
  private boolean cancelled;
  private boolean stoppedByShutdown;
  private String fencedBecause;

  private BatchJob(
      ExecutionKey key,
      TaskExecution execution,
      Job.Context context,
      BatchLedger ledger,
      String startTime) {
    this.key = key;
    this.spec = execution.getSpec();
    this.created = Timestamps.parse(execution.getMetadata().getCreationTimestamp());
    this.context = context;
    this.ledger = ledger;
    this.startTime = startTime;
  }

  /** A batch none of whose items this agent has started. */
  static BatchJob fresh(ExecutionKey key, TaskExecution execution, Job.Context context) {
    return new BatchJob(
        key, execution, context, BatchLedger.fresh(execution.getSpec().items().size()), null);
  }

  /**
   * A batch an earlier process of this agent started and did not finish: it goes on after the last
   * recorded start, and the items that were running then are Lost.
   */
  static BatchJob resumed(ExecutionKey key, TaskExecution execution, Job.Context context) {
    TaskExecutionStatus status = execution.getStatus();
    BatchProgress progress = status.batch() == null ? BatchProgress.NONE : status.batch();
    return new BatchJob(
        key,
        execution,
        context,
        BatchLedger.resumed(execution.getSpec().items().size(), progress),
        status.startTime());
  }

  @Override
  public synchronized void submit(ThreadPoolExecutor workers) {
    if (ledger.allStarted()) {
      end(); // resumed with nothing left to start
      return;
    }
    for (int i = ledger.nextPosition(); i < spec.items().size(); i++) {
      Runnable item = this::runNextItem;
      queued.add(item);
      workers.execute(item);
    }
  }

  @Override
  public synchronized boolean withdraw(ThreadPoolExecutor workers) {
    takingItems = false;
    queued.forEach(workers::remove);
    return ledger.noneStarted();
  }

  /** Starts the batch's next item, if it has one and still takes items, and reports its outcome. */
  private void runNextItem() {
    int position;
    CompletableFuture<Delivery> recorded;
    synchronized (this) {
      if (!takingItems || ledger.allStarted()) {
        return;
      }
      position = ledger.nextPosition();
      ledger.started(indexAt(position));
      if (startTime == null) {
        startTime = Timestamps.format(context.clock().instant());
        if (created != null) {
          context.metrics().started(Duration.between(created, context.clock().instant()));
        }
      }
      recorded = report(ledger.runningStatus(startTime));
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
    if (ended) {
      ledger.stoppedRunning(index);
      return;
    }
    ledger.ended(index, asReported(outcome));
    if (ledger.noneRunning() && (ledger.allStarted() || cancelled || fenced())) {
      end();
    } else {
      report(ledger.runningStatus(startTime));
    }
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
    } else if (!ledger.anyFailed()) {
      phase = ExecutionPhase.Succeeded;
      reason = "Completed";
    } else {
      phase = ExecutionPhase.Failed;
      reason = "ItemsFailed";
    }
    Instant now = context.clock().instant();
    report(ledger.endedStatus(phase, reason, startTime, now));
    Instant start = Timestamps.parse(startTime);
    context.metrics().finished(phase, start == null ? null : Duration.between(start, now));
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

  @Override
  public synchronized void fence(String why) {
    fencedBecause = why;
  }

  @Override
  public void cancel() {
    synchronized (this) {
      cancelled = true;
      if (ledger.noneRunning() && !ended) {
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
