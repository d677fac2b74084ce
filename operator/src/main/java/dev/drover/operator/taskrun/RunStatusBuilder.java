package dev.drover.operator.taskrun;

import dev.drover.api.Timestamps;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionStatus;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.SkippedTargets;
import dev.drover.api.taskrun.TargetCounts;
import dev.drover.api.taskrun.TargetResult;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunStatus;
import dev.drover.operator.support.Conditions;
import dev.drover.operator.support.Texts;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The one place a TaskRun's status is put together from its units. */
final class RunStatusBuilder {
  /** Results kept in status; the rest are on the TaskExecutions. Failures come first. */
  static final int MAX_RESULTS = 20;

  /** Output kept per result in the run's status (the execution keeps the agent's full tail). */
  static final int MAX_RESULT_MESSAGE = 1024;

  private RunStatusBuilder() {}

  static TaskRunStatus running(
      TaskRun run,
      List<Unit> units,
      Map<String, UnitState> states,
      Instant startTime,
      Instant now,
      boolean waitingForRoom,
      Instant lateJoinUntil,
      SkippedTargets skipped) {
    TargetCounts counts = counts(units.size(), states);
    String message =
        waitingForRoom
            ? "waiting for a matching agent with room"
            : counts.succeeded() + " of " + counts.total() + " target(s) succeeded so far";
    int retries = run.getStatus() == null ? 0 : run.getStatus().retriesOrZero();
    if (retries > 0) {
      message += " (retry " + retries + " of the failed targets)";
    }
    if (lateJoinUntil != null) {
      message += "; targets that join until " + lateJoinUntil + " run it too";
    }
    return build(
        run, units, states, RunPhase.Running, "Running", message, startTime, null, now, skipped);
  }

  /** A run that has not started: Pending, with why. */
  static TaskRunStatus waiting(TaskRun run, String reason, String message, Instant now) {
    return build(
        run, List.of(), Map.of(), RunPhase.Pending, reason, message, null, null, now, null);
  }

  /** The final status; {@code message} null says what {@code end} and the counts say. */
  static TaskRunStatus finished(
      TaskRun run,
      List<Unit> units,
      Map<String, UnitState> states,
      RunEnd end,
      String message,
      Instant startTime,
      Instant now,
      SkippedTargets skipped) {
    String text = message != null ? message : end.message(summary(counts(units.size(), states)));
    return build(run, units, states, end.phase, end.reason, text, startTime, now, now, skipped);
  }

  private static TaskRunStatus build(
      TaskRun run,
      List<Unit> units,
      Map<String, UnitState> states,
      RunPhase phase,
      String reason,
      String message,
      Instant startTime,
      Instant completionTime,
      Instant now,
      SkippedTargets skipped) {
    if (skipped != null) {
      message += "; " + skipped.describe();
    }
    TargetCounts counts = counts(units.size(), states);
    TaskRunStatus before = run.getStatus();
    Long generation = run.getMetadata().getGeneration();
    List<Condition> previous = before == null ? null : before.conditions();
    String nowText = Timestamps.format(now);
    String succeeded =
        phase == RunPhase.Succeeded ? "True" : phase.isFinished() ? "False" : "Unknown";
    boolean failed = phase == RunPhase.Failed || phase == RunPhase.Cancelled;
    List<Condition> conditions =
        List.of(
            Conditions.of("Succeeded", succeeded, reason, message, generation, nowText, previous),
            Conditions.of(
                "Failed",
                failed,
                failed ? reason : "NotFailed",
                failed ? message : "",
                generation,
                nowText,
                previous));
    return new TaskRunStatus(
        phase,
        reason,
        message,
        Timestamps.format(startTime),
        Timestamps.format(completionTime),
        completionTime == null ? null : humanDuration(Duration.between(startTime, completionTime)),
        counts.succeeded() + "/" + counts.total(),
        counts,
        results(units, states),
        conditions,
        generation,
        null,
        completionTime == null ? null : RunResults.preview(run, units),
        before == null ? null : before.retries(),
        before == null ? null : before.retryToken(),
        skipped);
  }

  static TargetCounts counts(int total, Map<String, UnitState> states) {
    int[] n = new int[UnitState.values().length];
    states.values().forEach(s -> n[s.ordinal()]++);
    return new TargetCounts(
        total,
        n[UnitState.PENDING.ordinal()],
        n[UnitState.QUEUED.ordinal()],
        n[UnitState.RUNNING.ordinal()],
        n[UnitState.RETRYING.ordinal()],
        n[UnitState.SUCCEEDED.ordinal()],
        n[UnitState.FAILED.ordinal()],
        n[UnitState.CANCELLED.ordinal()]);
  }

  static List<TargetResult> results(List<Unit> units, Map<String, UnitState> states) {
    Comparator<Unit> failuresFirst =
        Comparator.comparingInt((Unit u) -> rank(states.get(u.key())))
            .thenComparingInt(Unit::index)
            .thenComparing(Unit::key);
    return units.stream()
        .sorted(failuresFirst)
        .limit(MAX_RESULTS)
        .map(u -> result(u, states.get(u.key())))
        .toList();
  }

  private static int rank(UnitState state) {
    return switch (state) {
      case FAILED -> 0;
      case RETRYING -> 1;
      case CANCELLED -> 2;
      case RUNNING -> 3;
      case QUEUED -> 4;
      case PENDING -> 5;
      case SUCCEEDED -> 6;
    };
  }

  private static TargetResult result(Unit unit, UnitState state) {
    if (unit.unborn()) {
      ExecutionPhase phase =
          state == UnitState.CANCELLED ? ExecutionPhase.Cancelled : ExecutionPhase.Pending;
      return new TargetResult(
          unit.displayName(), unit.item(), null, null, phase, 0, null, null, null, null, null);
    }
    TaskExecution latest = unit.latest();
    TaskExecutionStatus status = latest.getStatus();
    ExecutionPhase phase =
        switch (state) {
          case RETRYING -> ExecutionPhase.Retrying;
          case PENDING -> ExecutionPhase.Pending;
          case CANCELLED -> ExecutionPhase.Cancelled;
          default -> latest.phase();
        };
    return new TargetResult(
        unit.displayName(),
        unit.item(),
        latest.getSpec().agent(),
        status == null ? null : status.node(),
        phase,
        unit.attemptCount(),
        status == null ? null : status.exitCode(),
        state == UnitState.SUCCEEDED || status == null ? null : status.reason(),
        status == null ? null : status.startTime(),
        status == null ? null : status.completionTime(),
        status == null ? null : Texts.tail(status.message(), MAX_RESULT_MESSAGE));
  }

  private static String summary(TargetCounts counts) {
    String summary = counts.succeeded() + " of " + counts.total() + " target(s) succeeded";
    if (counts.failed() > 0) {
      summary += ", " + counts.failed() + " failed";
    }
    if (counts.cancelled() > 0) {
      summary += ", " + counts.cancelled() + " cancelled";
    }
    return summary;
  }

  static String humanDuration(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m" + (s % 60) + "s";
    }
    return (s / 3600) + "h" + (s % 3600 / 60) + "m";
  }
}
