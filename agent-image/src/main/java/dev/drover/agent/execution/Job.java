package dev.drover.agent.execution;

import dev.drover.agent.execution.StatusReporter.Delivery;
import dev.drover.agent.fencing.LeaseFence;
import dev.drover.agent.metrics.AgentMetrics;
import dev.drover.agent.output.OutputStore;
import dev.drover.agent.process.CommandLine;
import dev.drover.agent.process.ProcessOutcome;
import dev.drover.agent.process.ProcessRunner;
import dev.drover.api.Timestamps;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionSpec;
import dev.drover.api.execution.TaskExecutionStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** One execution this agent runs, from taking a slot to reporting its outcome. */
final class Job implements Runnable, Work {
  /**
   * The process id is kept in status so that a restarted agent can stop a leftover process tree. A
   * short command ends within this delay and its outcome replaces the id's report, saving a write;
   * an agent that dies within it leaves its process unstopped, as it would between the Running
   * write and the id's write.
   */
  static final Duration PROCESS_ID_DELAY = Duration.ofMillis(250);

  /**
   * What every job of one agent works with.
   *
   * @param resultDirectory the agent's private directory of result files, one per execution
   * @param outputs where the whole output of each execution is kept
   * @param progressTicks refreshes running executions' output tails in their status
   */
  record Context(
      String agentName,
      int outputTailBytes,
      Path resultDirectory,
      OutputStore outputs,
      ScheduledExecutorService progressTicks,
      Clock clock,
      LeaseFence fence,
      StatusReporter reporter,
      AgentMetrics metrics,
      AtomicInteger running) {}

  private final ExecutionKey key;
  private final TaskExecutionSpec spec;
  private final Instant created;
  private final Context context;
  private final ProcessRunner runner;
  private volatile boolean abandoned;
  private volatile boolean stoppedByShutdown;
  private volatile String fencedBecause;

  /**
   * The Running status with the process id, once the process runs; progress reports build on it.
   */
  private volatile TaskExecutionStatus started;

  private long reportedOutputBytes;
  private boolean ended;

  Job(ExecutionKey key, TaskExecution execution, Context context) {
    this.key = key;
    this.spec = execution.getSpec();
    this.created = Timestamps.parse(execution.getMetadata().getCreationTimestamp());
    this.context = context;
    this.runner = new ProcessRunner(context.outputTailBytes());
  }

  @Override
  public void submit(ThreadPoolExecutor workers) {
    workers.execute(this);
  }

  @Override
  public boolean withdraw(ThreadPoolExecutor workers) {
    return workers.remove(this);
  }

  @Override
  public void run() {
    if (abandoned) {
      return;
    }
    Instant start = context.clock().instant();
    TaskExecutionStatus running =
        TaskExecutionStatus.of(ExecutionPhase.Running, "Started", null)
            .startedAt(Timestamps.format(start));
    // Running is written before the process starts: if the agent dies in between, the restarted
    // agent reports Lost instead of silently running the command a second time. A dropped report
    // means the agent is stopping; a report with nothing left to report to means the execution was
    // deleted or ended by the operator meanwhile: either way the command does not start at all.
    Delivery delivery = context.reporter().report(key, running).join();
    if (abandoned || delivery == Delivery.DROPPED || delivery == Delivery.GONE) {
      return;
    }
    context.running().incrementAndGet();
    if (created != null) {
      context.metrics().started(Duration.between(created, context.clock().instant()));
    }
    if (fencing().isPresent()) {
      runner.cancel(); // the Lease lapsed before the command started: it never starts
    }
    long interval = context.outputs().settings().progressInterval().toMillis();
    ScheduledFuture<?> progress =
        context
            .progressTicks()
            .scheduleWithFixedDelay(
                this::reportProgress, interval, interval, TimeUnit.MILLISECONDS);
    try {
      ProcessOutcome outcome =
          runner.run(
              CommandLine.of(
                  spec,
                  key.namespace(),
                  context.agentName(),
                  context.resultDirectory().resolve("result-" + key.uid())),
              spec.workingDir(),
              spec.timeoutSeconds() == null ? null : Duration.ofSeconds(spec.timeoutSeconds()),
              context.outputs().record(key.namespace(), key.name()),
              pid -> {
                started = running.withProcessId(pid);
                context.reporter().reportAfter(key, started, PROCESS_ID_DELAY);
              });
      progress.cancel(false);
      if (abandoned) {
        return;
      }
      outcome = asReported(outcome);
      Instant end = context.clock().instant();
      reportEnd(
          TaskExecutionStatus.ended(
                  running, outcome.phase(), outcome.reason(), outcome.output(), end)
              .withExitCode(outcome.exitCode())
              .withResult(outcome.result()));
      context.metrics().finished(outcome.phase(), Duration.between(start, end));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      progress.cancel(false);
      context.running().decrementAndGet();
    }
  }

  /**
   * Shows a running command's output so far in its status, when it wrote something since the last
   * report. Progress and the outcome are reported under one lock, so no progress report is queued
   * after the outcome and replaces it.
   */
  private synchronized void reportProgress() {
    long written = runner.outputBytes();
    if (ended
        || abandoned
        || started == null
        || written == reportedOutputBytes
        || fencing().isPresent()) {
      return;
    }
    reportedOutputBytes = written;
    context.reporter().report(key, started.withMessage(runner.outputTail()));
  }

  private synchronized void reportEnd(TaskExecutionStatus outcome) {
    ended = true;
    context.reporter().report(key, outcome);
  }

  /**
   * What the agent reports of how the process ended: Lost, if the agent let go of the job before it
   * ended, whatever the process did.
   */
  private ProcessOutcome asReported(ProcessOutcome outcome) {
    Optional<String> fenced = fencing();
    if (fenced.isPresent()) {
      return new ProcessOutcome(
          ExecutionPhase.Lost,
          outcome.exitCode(),
          "Fenced",
          fenced.get() + "\n" + outcome.output());
    }
    if (stoppedByShutdown) {
      return new ProcessOutcome(
          ExecutionPhase.Lost, outcome.exitCode(), "AgentShutdown", outcome.output());
    }
    return outcome;
  }

  /**
   * Why the agent let go of this job because its Lease lapsed, if it did: the fence marked it, or
   * the deadline has passed before the fence came round (a paused agent wakes on every thread).
   */
  private Optional<String> fencing() {
    String marked = fencedBecause;
    return marked != null ? Optional.of(marked) : context.fence().breached();
  }

  /**
   * Marks the job fenced: whatever its process does from now on, its outcome is reported Lost. It
   * is stopped by {@link #cancel}.
   */
  @Override
  public void fence(String why) {
    fencedBecause = why;
  }

  /** Stops the process; the outcome is reported Cancelled, or Lost if the job was fenced. */
  @Override
  public void cancel() {
    runner.cancel();
  }

  /** Stops the process without reporting an outcome. */
  @Override
  public void abandon() {
    abandoned = true;
    runner.cancel();
  }

  /** Stops the process because the agent is stopping; the outcome is reported Lost. */
  @Override
  public void stopForShutdown() {
    stoppedByShutdown = true;
    runner.cancel();
  }
}
