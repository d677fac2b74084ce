package dev.drover.agent.execution;

import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes execution statuses on its own thread, so callers (the informer thread above all) never
 * wait for the API. A failed write is retried later on a schedule, not by sleeping, so one
 * execution's retries never hold up another's reports.
 *
 * <p>Writes happen one at a time. For one execution, only the latest status counts: a report made
 * while an earlier one is still unwritten replaces it, so a stale status is never written over a
 * newer one.
 */
final class StatusReporter {
  private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);

  /** Writes one status; the seam between reporting and the API. */
  @FunctionalInterface
  interface Writer {
    /**
     * Returns false when there is nothing left to report to: the execution no longer exists, or
     * someone else finished it; throws when the write failed and may be tried again.
     */
    boolean write(ExecutionKey key, TaskExecutionStatus status);

    /** The agent saw the execution as it is now. */
    default void observed(TaskExecution execution) {}

    /** The execution was deleted. */
    default void forget(String uid) {}
  }

  /** How a report ended. */
  enum Delivery {
    WRITTEN,
    /** The execution was deleted or someone else finished it: nothing left to report to. */
    GONE,
    /** A later report for the same execution replaced it before this one was confirmed. */
    SUPERSEDED,
    /** Every attempt within the retry budget failed. */
    GAVE_UP,
    /** The reporter stopped before it could be written. */
    DROPPED
  }

  /**
   * Waits between attempts: {@code first}, doubling up to {@code max}, until the waits add up to
   * {@code budget}; then the report is given up.
   */
  record Retry(Duration first, Duration max, Duration budget) {
    /** Rides out about a minute of API outage: 8 attempts over 61.5s. */
    static final Retry DEFAULT =
        new Retry(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(1));

    Retry {
      if (first.isZero() || first.isNegative() || max.compareTo(first) < 0) {
        throw new IllegalArgumentException("retry waits must grow from a positive first wait");
      }
    }

    /** The wait before each retry, in order. */
    List<Duration> waits() {
      List<Duration> waits = new ArrayList<>();
      Duration total = Duration.ZERO;
      for (Duration next = first; total.compareTo(budget) < 0; next = min(next.multipliedBy(2))) {
        waits.add(next);
        total = total.plus(next);
      }
      return List.copyOf(waits);
    }

    private Duration min(Duration wait) {
      return wait.compareTo(max) < 0 ? wait : max;
    }
  }

  private final Writer writer;
  private final List<Duration> retryWaits;
  private final Map<ExecutionKey, Report> unwritten = new ConcurrentHashMap<>();

  /** One thread, so that writes never overlap and a replaced report is never written late. */
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(task -> new Thread(task, "status-reporter"));

  StatusReporter(Writer writer, Retry retry) {
    this.writer = writer;
    this.retryWaits = retry.waits();
  }

  /** Queues the status for writing and returns at once; the result says how the report ended. */
  CompletableFuture<Delivery> report(ExecutionKey key, TaskExecutionStatus status) {
    return reportAfter(key, status, Duration.ZERO);
  }

  /**
   * Queues the status to be written after {@code delay}, unless a later report for the same
   * execution replaces it meanwhile: for details worth one write only if nothing else follows soon.
   */
  CompletableFuture<Delivery> reportAfter(
      ExecutionKey key, TaskExecutionStatus status, Duration delay) {
    Report report = new Report(key, status);
    Report replaced = unwritten.put(key, report);
    if (replaced != null) {
      replaced.end(Delivery.SUPERSEDED);
    }
    report.attemptAfter(delay);
    return report.delivery;
  }

  /** Gives unwritten reports up to {@code grace} to be written, then stops. */
  void shutdown(Duration grace) {
    CompletableFuture.allOf(
            unwritten.values().stream()
                .map(report -> report.delivery)
                .toArray(CompletableFuture[]::new))
        .completeOnTimeout(null, grace.toMillis(), TimeUnit.MILLISECONDS)
        .join();
    if (!unwritten.isEmpty()) {
      log.warn("Stopping with {} status reports unwritten", unwritten.size());
    }
    halt();
  }

  /** Stops at once; unwritten reports are dropped. */
  void halt() {
    scheduler.shutdownNow();
    unwritten.values().forEach(report -> report.end(Delivery.DROPPED));
  }

  /** One status to write; its attempts run on the scheduler thread. */
  private final class Report implements Runnable {
    private final ExecutionKey key;
    private final TaskExecutionStatus status;
    private final CompletableFuture<Delivery> delivery = new CompletableFuture<>();
    private int failures;
    private Duration waited = Duration.ZERO;

    private Report(ExecutionKey key, TaskExecutionStatus status) {
      this.key = key;
      this.status = status;
    }

    @Override
    public void run() {
      if (delivery.isDone()) {
        return; // superseded or dropped while it waited
      }
      try {
        end(writer.write(key, status) ? Delivery.WRITTEN : Delivery.GONE);
      } catch (RuntimeException e) {
        if (failures == retryWaits.size()) {
          log.error(
              "Gave up reporting {} for {}/{} after {} attempts over {}s",
              status.phase(),
              key.namespace(),
              key.name(),
              failures + 1,
              waited.toMillis() / 1000.0,
              e);
          end(Delivery.GAVE_UP);
          return;
        }
        Duration wait = retryWaits.get(failures++);
        waited = waited.plus(wait);
        attemptAfter(wait);
      }
    }

    void attemptAfter(Duration delay) {
      try {
        scheduler.schedule(this, delay.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException stopped) {
        end(Delivery.DROPPED);
      }
    }

    void end(Delivery how) {
      unwritten.remove(key, this);
      delivery.complete(how);
    }
  }
}
