package dev.drover.agent.execution;

import dev.drover.agent.AgentSettings;
import dev.drover.agent.fencing.LeaseFence;
import dev.drover.agent.metrics.AgentMetrics;
import dev.drover.agent.output.OutputStore;
import dev.drover.agent.process.ProcessRunner;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Carries out what {@link Admission} decides for each execution the agent sees: runs jobs on one
 * thread per unit of capacity (the rest wait as Queued), cancels them, or settles executions
 * without running them. Every execution is remembered by uid until it is deleted, so late events
 * never start it twice. Statuses go through a {@link StatusReporter}, so no event waits for the
 * API. While the agent is fenced (its Lease lapsed) it takes no new work.
 */
public class ExecutionSupervisor {
  private final AgentSettings settings;
  private final Clock clock;
  private final StatusReporter.Writer writer;
  private final StatusReporter reporter;
  private final AgentMetrics metrics;
  private final ThreadPoolExecutor workers;
  private final AtomicInteger running = new AtomicInteger();
  private final Job.Context jobContext;
  private final Map<String, Work> jobs = new ConcurrentHashMap<>();
  private final ScheduledExecutorService progressTicks =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "output-progress");
            thread.setDaemon(true);
            return thread;
          });

  /** Uids of executions this agent reported finished without running them. */
  private final Set<String> settled = ConcurrentHashMap.newKeySet();

  private volatile boolean stopping;
  private volatile boolean fenced;

  public ExecutionSupervisor(
      AgentSettings settings,
      KubernetesClient client,
      OutputStore outputs,
      Clock clock,
      LeaseFence fence,
      MeterRegistry registry) {
    this(settings, new StatusWriter(client), outputs, clock, fence, registry);
  }

  ExecutionSupervisor(
      AgentSettings settings,
      StatusReporter.Writer writer,
      OutputStore outputs,
      Clock clock,
      LeaseFence fence,
      MeterRegistry registry) {
    this.settings = settings;
    this.clock = clock;
    this.writer = writer;
    this.reporter = new StatusReporter(writer, StatusReporter.Retry.DEFAULT);
    this.workers =
        new ThreadPoolExecutor(
            settings.capacity(),
            settings.capacity(),
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>());
    this.metrics = new AgentMetrics(registry, running::get, () -> workers.getQueue().size());
    this.jobContext =
        new Job.Context(
            settings.name(),
            settings.outputTailBytes(),
            ResultDirectory.create(),
            outputs,
            progressTicks,
            clock,
            fence,
            reporter,
            metrics,
            running);
  }

  /** How many executions are running now (not counting queued ones). */
  public int running() {
    return running.get();
  }

  public void onObserved(TaskExecution execution) {
    writer.observed(execution);
    ExecutionKey key = ExecutionKey.of(execution);
    Work job = jobs.get(key.uid());
    Admission admission =
        new Admission(
            execution.phase(),
            execution.getSpec().cancelRequested(),
            job != null || settled.contains(key.uid()),
            !stopping && !fenced,
            workers.getActiveCount() + workers.getQueue().size(),
            settings.capacity());
    switch (admission.decide()) {
      case RUN -> take(key, execution, false);
      case QUEUE -> take(key, execution, true);
      case CANCEL_KNOWN -> cancel(key, job);
      case CANCEL_UNSTARTED -> settle(key, cancelled("cancelled before it started"));
      case CANCEL_LEFTOVER ->
          settleLeftover(
              key,
              execution.getStatus(),
              ExecutionPhase.Cancelled,
              "Cancelled",
              "cancelled after the agent restarted while this execution was running");
      case REPORT_LOST -> {
        if (execution.getSpec().batch()) {
          resume(key, execution);
        } else {
          settleLeftover(
              key,
              execution.getStatus(),
              ExecutionPhase.Lost,
              "AgentRestarted",
              "the agent restarted while this execution was running; its outcome is unknown");
        }
      }
      case ABANDON -> {
        if (job != null) {
          job.abandon();
        }
      }
      case IGNORE -> {}
    }
  }

  public void onDeleted(TaskExecution execution) {
    String uid = execution.getMetadata().getUid();
    writer.forget(uid);
    settled.remove(uid);
    Work job = jobs.remove(uid);
    if (job != null) {
      job.abandon();
    }
  }

  /**
   * The Lease went unrenewed past the fence deadline: the operator counts this agent's unfinished
   * work Lost, or is about to, and retries it elsewhere. Started work is stopped and reported Lost,
   * whatever its process does from now on. Work still waiting for a slot never started, so it is
   * dropped unreported: once the Lease is renewed it is taken again, unless the operator ended it
   * meanwhile. No new work is taken until {@link #unfence}.
   */
  public void fence(String why) {
    fenced = true;
    List<Work> started = new ArrayList<>();
    jobs.forEach(
        (uid, job) -> {
          if (job.withdraw(workers)) {
            jobs.remove(uid, job);
          } else {
            started.add(job);
          }
        });
    // Every job is marked before any is stopped, which may take a while: a process that exits
    // meanwhile must not have its outcome reported as if the agent still held its Lease.
    started.forEach(job -> job.fence(why));
    started.forEach(Work::cancel);
  }

  /**
   * The Lease is renewed again: new work is taken, beginning with {@code seen}, every execution the
   * agent knows of now. Events that came while it was fenced were ignored and do not come again.
   */
  public void unfence(Collection<TaskExecution> seen) {
    fenced = false;
    seen.forEach(this::onObserved);
  }

  /** Stops taking work, lets running work finish within the grace period, then stops the rest. */
  public void shutdown(Duration grace) throws InterruptedException {
    stopping = true;
    workers.shutdown();
    // Queued work stays unstarted, so the next agent process runs it.
    jobs.values().forEach(job -> job.withdraw(workers));
    if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      jobs.values().forEach(Work::stopForShutdown);
      workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    }
    progressTicks.shutdownNow();
    reporter.shutdown(grace);
  }

  /** Kills everything without reporting, as a dying process would. */
  public void halt() {
    stopping = true;
    jobs.values().forEach(Work::abandon);
    workers.shutdownNow();
    progressTicks.shutdownNow();
    reporter.halt();
  }

  private void take(ExecutionKey key, TaskExecution execution, boolean atCapacity) {
    Work job =
        execution.getSpec().batch()
            ? BatchJob.fresh(key, execution, jobContext)
            : new Job(key, execution, jobContext);
    if (jobs.putIfAbsent(key.uid(), job) == null) {
      if (atCapacity) {
        reporter.report(key, TaskExecutionStatus.of(ExecutionPhase.Queued, "AtCapacity", null));
      }
      job.submit(workers);
    }
  }

  /**
   * A batch an earlier process of this agent was running: its items that had not started run now,
   * those that were running are reported Lost, and none that started runs again.
   */
  private void resume(ExecutionKey key, TaskExecution execution) {
    BatchJob job = BatchJob.resumed(key, execution, jobContext);
    if (jobs.putIfAbsent(key.uid(), job) == null) {
      job.submit(workers);
    }
  }

  /** A job still waiting for a slot is settled as Cancelled at once; a started one is stopped. */
  private void cancel(ExecutionKey key, Work job) {
    if (job == null) {
      return; // settled already
    }
    if (job.withdraw(workers)) {
      jobs.remove(key.uid());
      settle(key, cancelled("cancelled while queued"));
    } else {
      job.cancel();
    }
  }

  /**
   * Status says Running but this process never started it: an earlier process of this agent did and
   * then died. Re-running could repeat a side effect, so it ends here (Lost for the retry policy to
   * decide, or Cancelled if that was asked), keeping its start; a leftover process tree is stopped
   * first.
   */
  private void settleLeftover(
      ExecutionKey key,
      TaskExecutionStatus previous,
      ExecutionPhase phase,
      String reason,
      String message) {
    if (previous.processId() != null) {
      ProcessHandle.of(previous.processId()).ifPresent(ProcessRunner::killTree);
    }
    settle(key, TaskExecutionStatus.ended(previous, phase, reason, message, clock.instant()));
  }

  /** Finishes an execution this agent will not run. */
  private void settle(ExecutionKey key, TaskExecutionStatus outcome) {
    settled.add(key.uid());
    metrics.finished(outcome.phase(), null);
    reporter.report(key, outcome);
  }

  private TaskExecutionStatus cancelled(String message) {
    return TaskExecutionStatus.of(ExecutionPhase.Cancelled, "Cancelled", message)
        .completedAt(clock.instant());
  }
}
