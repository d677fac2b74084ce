package dev.drover.agent.execution;

import dev.drover.agent.AgentSettings;
import dev.drover.agent.metrics.AgentMetrics;
import dev.drover.agent.process.CommandLine;
import dev.drover.agent.process.ProcessOutcome;
import dev.drover.agent.process.ProcessRunner;
import dev.drover.api.Timestamps;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionSpec;
import dev.drover.api.execution.TaskExecutionStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what to do with each execution the agent sees: run it (up to capacity, the rest wait as
 * Queued), cancel it, or report it Lost when a previous incarnation of this agent was running it.
 * Every execution is remembered by uid until it is deleted, so late events never start it twice.
 */
public class ExecutionSupervisor {
  private static final Logger log = LoggerFactory.getLogger(ExecutionSupervisor.class);
  private static final int REPORT_ATTEMPTS = 8;

  private final AgentSettings settings;
  private final StatusWriter statusWriter;
  private final Clock clock;
  private final ThreadPoolExecutor workers;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final AtomicInteger running = new AtomicInteger();
  private final AgentMetrics metrics;

  /**
   * Reports decided on the informer thread are sent from here, so slow writes never stall events.
   */
  private final ExecutorService reporter = Executors.newSingleThreadExecutor();

  private volatile boolean accepting = true;

  public ExecutionSupervisor(
      AgentSettings settings, KubernetesClient client, Clock clock, MeterRegistry registry) {
    this.settings = settings;
    this.statusWriter = new StatusWriter(client);
    this.clock = clock;
    this.workers =
        new ThreadPoolExecutor(
            settings.capacity(),
            settings.capacity(),
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>());
    this.metrics = new AgentMetrics(registry, running::get, () -> workers.getQueue().size());
  }

  /** How many executions are running now (not counting queued ones). */
  public int running() {
    return running.get();
  }

  public void onObserved(TaskExecution execution) {
    ExecutionKey key = ExecutionKey.of(execution);
    Job known = jobs.get(key.uid());
    Admission admission =
        new Admission(
            execution.phase(),
            execution.getSpec().cancelRequested(),
            known != null,
            accepting,
            workers.getActiveCount() + workers.getQueue().size(),
            settings.capacity());
    switch (admission.decide()) {
      case RUN -> take(key, execution, false);
      case QUEUE -> take(key, execution, true);
      case CANCEL_KNOWN -> known.cancel();
      case CANCEL_UNSTARTED -> cancelUnstarted(key);
      case REPORT_LOST -> reportLostAfterRestart(key, execution.getStatus());
      case ABANDON -> known.abandon();
      case IGNORE -> {}
    }
  }

  private void take(ExecutionKey key, TaskExecution execution, boolean atCapacity) {
    Job job =
        new Job(
            key,
            execution.getSpec(),
            Timestamps.parse(execution.getMetadata().getCreationTimestamp()));
    if (jobs.putIfAbsent(key.uid(), job) == null) {
      if (atCapacity) {
        reportLater(
            key,
            new TaskExecutionStatus(
                ExecutionPhase.Queued, null, null, null, "AtCapacity", null, null, null));
      }
      workers.execute(job);
    }
  }

  public void onDeleted(TaskExecution execution) {
    Job known = jobs.remove(execution.getMetadata().getUid());
    if (known != null) {
      known.abandon();
    }
  }

  /** Stops taking work, lets running work finish within the grace period, then stops the rest. */
  public void shutdown(Duration grace) throws InterruptedException {
    accepting = false;
    workers.shutdown();
    jobs.values().forEach(Job::dropIfQueued);
    if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      jobs.values().forEach(Job::interruptForShutdown);
      workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    }
    reporter.shutdown();
    reporter.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Kills everything without reporting, as a dying process would. */
  public void halt() {
    accepting = false;
    jobs.values().forEach(Job::abandon);
    workers.shutdownNow();
    reporter.shutdownNow();
  }

  private void cancelUnstarted(ExecutionKey key) {
    TaskExecutionStatus cancelled =
        finished(
            ExecutionPhase.Cancelled, null, "Cancelled", "cancelled before it started", null, null);
    jobs.put(key.uid(), settled(key));
    metrics.finished(ExecutionPhase.Cancelled, null);
    reportLater(key, cancelled);
  }

  /**
   * Status says Running but this process never started it: an earlier run of this agent did and
   * then died. Re-running could repeat a side effect, so report it Lost and let the retry policy
   * decide; a leftover process tree is stopped first.
   */
  private void reportLostAfterRestart(ExecutionKey key, TaskExecutionStatus previous) {
    jobs.put(key.uid(), settled(key));
    if (previous.processId() != null) {
      ProcessHandle.of(previous.processId()).ifPresent(ProcessRunner::killTree);
    }
    metrics.finished(ExecutionPhase.Lost, null);
    reportLater(
        key,
        finished(
            ExecutionPhase.Lost,
            null,
            "AgentRestarted",
            "the agent restarted while this execution was running; its outcome is unknown",
            previous.startTime(),
            previous.processId()));
  }

  /** Remembers an execution this agent has settled without running it. */
  private Job settled(ExecutionKey key) {
    Job job = new Job(key, null, null);
    job.abandoned = true;
    return job;
  }

  private TaskExecutionStatus finished(
      ExecutionPhase phase,
      Integer exitCode,
      String reason,
      String message,
      String startTime,
      Long pid) {
    return new TaskExecutionStatus(
        phase, startTime, Timestamps.format(clock.instant()), exitCode, reason, message, pid, null);
  }

  private void reportLater(ExecutionKey key, TaskExecutionStatus status) {
    reporter.execute(() -> report(key, status));
  }

  /** Reports a status, riding out short API outages; gives up only when the execution is gone. */
  private void report(ExecutionKey key, TaskExecutionStatus status) {
    for (int attempt = 1; ; attempt++) {
      try {
        statusWriter.write(key, status);
        return;
      } catch (KubernetesClientException e) {
        if (attempt == REPORT_ATTEMPTS) {
          log.error(
              "Gave up reporting {} for {}/{}", status.phase(), key.namespace(), key.name(), e);
          return;
        }
        try {
          TimeUnit.MILLISECONDS.sleep(Math.min(30_000L, 250L << attempt));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** One execution on this agent, from acceptance to its reported outcome. */
  private final class Job implements Runnable {
    private final ExecutionKey key;
    private final TaskExecutionSpec spec;
    private final Instant created;
    private final ProcessRunner runner;
    private volatile boolean started;
    private volatile boolean abandoned;
    private volatile boolean shutdownInterrupted;

    private Job(ExecutionKey key, TaskExecutionSpec spec, Instant created) {
      this.key = key;
      this.spec = spec;
      this.created = created;
      this.runner = spec == null ? null : new ProcessRunner(settings.outputTailBytes());
    }

    @Override
    public void run() {
      if (abandoned || runner == null) {
        return;
      }
      started = true;
      String startTime = Timestamps.format(clock.instant());
      // Running is reported before the process starts: if the agent dies in between, the
      // restarted agent reports Lost instead of silently running the command a second time.
      report(
          key,
          new TaskExecutionStatus(
              ExecutionPhase.Running, startTime, null, null, "Started", null, null, null));
      running.incrementAndGet();
      if (created != null) {
        metrics.started(Duration.between(created, clock.instant()));
      }
      try {
        CommandLine commandLine = CommandLine.of(spec, key.namespace(), settings.name());
        Duration timeout =
            spec.timeoutSeconds() == null ? null : Duration.ofSeconds(spec.timeoutSeconds());
        ProcessOutcome outcome =
            runner.run(
                commandLine,
                spec.workingDir(),
                timeout,
                pid ->
                    report(
                        key,
                        new TaskExecutionStatus(
                            ExecutionPhase.Running,
                            startTime,
                            null,
                            null,
                            "Started",
                            null,
                            pid,
                            null)));
        if (abandoned) {
          return;
        }
        if (shutdownInterrupted) {
          outcome =
              new ProcessOutcome(
                  ExecutionPhase.Lost, outcome.exitCode(), "AgentShutdown", outcome.output());
        }
        Instant end = clock.instant();
        report(
            key,
            finished(
                outcome.phase(),
                outcome.exitCode(),
                outcome.reason(),
                outcome.output(),
                startTime,
                null));
        metrics.finished(outcome.phase(), Duration.between(Timestamps.parse(startTime), end));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        running.decrementAndGet();
      }
    }

    void cancel() {
      if (runner != null) {
        runner.cancel();
      }
      if (!started && workers.remove(this)) {
        report(
            key,
            finished(
                ExecutionPhase.Cancelled, null, "Cancelled", "cancelled while queued", null, null));
      }
    }

    void abandon() {
      abandoned = true;
      if (runner != null) {
        runner.cancel();
      }
    }

    void dropIfQueued() {
      if (!started) {
        workers.remove(this);
      }
    }

    void interruptForShutdown() {
      shutdownInterrupted = true;
      if (runner != null) {
        runner.cancel();
      }
    }
  }
}
