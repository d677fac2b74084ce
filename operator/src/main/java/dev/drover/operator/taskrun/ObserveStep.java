package dev.drover.operator.taskrun;

import dev.drover.api.Timestamps;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.RetryPolicy;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.operator.taskrun.RunDecision.RecordedOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the caches say about a started run and the work it placed: whether it stops taking work
 * (cancel, deadline, maxFailures), attempts whose agent is gone, attempts past their timeout that
 * nobody stopped.
 */
final class ObserveStep {
  /** The operator stops an attempt its runner did not stop within this long after its timeout. */
  static final Duration TIMEOUT_BACKSTOP_GRACE = Duration.ofSeconds(30);

  /**
   * @param stop why the run takes no new work, or null
   * @param recorded outcomes to write for attempts whose runner cannot
   * @param cancel attempts to stop
   * @param wakeAt when to look again although nothing changed (deadline, backstop), or null
   */
  record Observation(
      Stop stop, List<RecordedOutcome> recorded, List<TaskExecution> cancel, Instant wakeAt) {}

  private ObserveStep() {}

  static Observation observe(RunContext ctx, List<Unit> units, Instant startTime) {
    TaskRunSpec spec = ctx.run().getSpec();
    Instant deadline =
        spec.activeDeadlineSeconds() == null
            ? null
            : startTime.plusSeconds(spec.activeDeadlineSeconds());
    Stop stop = stop(spec, ctx.retries(), Batches.targets(spec, units), deadline, ctx.now());
    Instant wakeAt = deadline != null && ctx.now().isBefore(deadline) ? deadline : null;
    Set<String> knownAgents =
        ctx.agents().stream().map(a -> a.getMetadata().getName()).collect(Collectors.toSet());
    List<RecordedOutcome> recorded = new ArrayList<>();
    List<TaskExecution> cancel = new ArrayList<>();
    for (Unit unit : units) {
      if (!unit.active()) {
        continue;
      }
      TaskExecution latest = unit.latest();
      boolean stopping = stop != null && stop.stopsRunning && !latest.getSpec().cancelRequested();
      if (stopping) {
        cancel.add(latest);
      }
      String agent = latest.getSpec().agent();
      if (!latest.getSpec().runsInPod() && !knownAgents.contains(agent)) {
        recorded.add(
            new RecordedOutcome(
                latest, ExecutionPhase.Lost, "AgentGone", "agent " + agent + " no longer exists"));
        continue;
      }
      Instant backstop = timeoutBackstop(latest);
      if (backstop == null) {
        continue;
      }
      if (ctx.now().isBefore(backstop)) {
        wakeAt = earliest(wakeAt, backstop);
      } else {
        recorded.add(overdue(latest));
        if (!stopping) {
          cancel.add(latest);
        }
      }
    }
    return new Observation(stop, recorded, cancel, wakeAt);
  }

  /** Why the run takes no new work any more, or null while it goes on. */
  static Stop stop(
      TaskRunSpec spec, RetryPolicy retries, List<Unit> units, Instant deadline, Instant now) {
    if (spec.cancelRequested()) {
      return Stop.CANCELLED;
    }
    if (deadline != null && !now.isBefore(deadline)) {
      return Stop.DEADLINE_EXCEEDED;
    }
    long finalFailures =
        units.stream()
            .filter(u -> !u.unborn())
            .filter(u -> u.latest().phase().isFailure())
            .filter(u -> u.attemptCount() > retries.limitOrDefault())
            .count();
    if (finalFailures >= MaxFailures.threshold(spec.maxFailures(), units.size())) {
      return Stop.MAX_FAILURES_REACHED;
    }
    return null;
  }

  static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }

  /**
   * When a running attempt with a timeout is overdue for the operator; null without one. A batch's
   * timeout holds for each of its items, which its agent enforces alone.
   */
  private static Instant timeoutBackstop(TaskExecution attempt) {
    Long timeout = attempt.getSpec().timeoutSeconds();
    if (attempt.phase() != ExecutionPhase.Running || timeout == null || attempt.getSpec().batch()) {
      return null;
    }
    Instant started = Timestamps.parse(attempt.getStatus().startTime());
    return started == null ? null : started.plusSeconds(timeout).plus(TIMEOUT_BACKSTOP_GRACE);
  }

  private static RecordedOutcome overdue(TaskExecution attempt) {
    String runner =
        attempt.getSpec().runsInPod()
            ? "pod " + attempt.getMetadata().getName()
            : "agent " + attempt.getSpec().agent();
    return new RecordedOutcome(
        attempt,
        ExecutionPhase.TimedOut,
        "Timeout",
        runner
            + " did not stop the attempt within its "
            + attempt.getSpec().timeoutSeconds()
            + "s timeout");
  }
}
