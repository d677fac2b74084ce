package dev.drover.operator.taskrun;

import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.RetryPolicy;
import dev.drover.api.taskrun.SkippedTargets;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunStatus;
import dev.drover.operator.support.ObjectEvent;
import dev.drover.operator.taskrun.DispatchStep.Plan;
import dev.drover.operator.taskrun.ObserveStep.Observation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives the run's status from its units as they stand after this pass (retries just created are
 * their units' latest attempts), decides the outcome once every unit has settled, and when to look
 * again.
 */
final class ConcludeStep {
  /** How soon a run waiting for an agent with room looks again, at the latest. */
  static final Duration WAIT_FOR_ROOM = Duration.ofSeconds(5);

  /** How soon a run with nothing to wait for looks again, in case an event was missed. */
  static final Duration SAFETY_REQUEUE = Duration.ofMinutes(5);

  private ConcludeStep() {}

  static RunDecision conclude(
      RunContext ctx,
      Instant startTime,
      boolean starting,
      Observation observed,
      Plan plan,
      Instant lateJoinUntil) {
    TaskRun run = ctx.run();
    List<TaskExecution> executions = new ArrayList<>(ctx.executions());
    executions.addAll(plan.create());
    List<Unit> units = Batches.targetsOf(run.getSpec(), executions);
    Map<String, UnitState> states = states(units, observed.stop(), ctx.retries());
    List<ObjectEvent> events = new ArrayList<>(plan.events());
    SkippedTargets skipped =
        starting
            ? SkippedTargets.cordoned(RunTargets.cordonedAgents(ctx))
            : run.getStatus().skipped();
    if (starting) {
      events.add(RunEvents.started(units.size(), run.getSpec().dispatchOrDefault()));
      if (skipped != null) {
        events.add(RunEvents.skipped(skipped));
      }
    }
    Instant now = ctx.now();
    if (lateJoinUntil != null || !states.values().stream().allMatch(UnitState::isSettled)) {
      TaskRunStatus status =
          RunStatusBuilder.running(
              run, units, states, startTime, now, plan.waitingForRoom(), lateJoinUntil, skipped);
      Instant wakeAt = ObserveStep.earliest(observed.wakeAt(), plan.wakeAt());
      if (lateJoinUntil != null) {
        // Joining targets wake no run: look for them regularly until the window closes.
        wakeAt =
            ObserveStep.earliest(
                wakeAt, ObserveStep.earliest(lateJoinUntil, now.plus(StartStep.TARGET_POLL)));
      }
      return decision(observed, plan, status, events, requeue(now, wakeAt, plan.waitingForRoom()));
    }
    RunEnd end = end(observed.stop(), states);
    TaskRunStatus status =
        RunStatusBuilder.finished(run, units, states, end, null, startTime, now, skipped);
    units.stream()
        .filter(u -> !run.getSpec().batched())
        .filter(u -> u.latest().phase() == ExecutionPhase.TimedOut)
        .map(RunEvents::timedOut)
        .forEach(events::add);
    events.add(RunEvents.finished(end, status.message(), status.retriesOrZero()));
    return decision(observed, plan, status, events, StartStep.ttlWait(ctx, now));
  }

  static Map<String, UnitState> states(List<Unit> units, Stop stop, RetryPolicy retries) {
    Map<String, UnitState> states = new LinkedHashMap<>();
    units.forEach(u -> states.put(u.key(), UnitState.of(u, stop, retries)));
    return states;
  }

  /** How a run whose units have all settled ends. */
  static RunEnd end(Stop stop, Map<String, UnitState> states) {
    if (stop != null) {
      return stop.end;
    }
    if (states.containsValue(UnitState.FAILED)) {
      return RunEnd.TARGETS_FAILED;
    }
    if (states.containsValue(UnitState.CANCELLED)) {
      return RunEnd.TARGETS_CANCELLED;
    }
    return RunEnd.COMPLETED;
  }

  static Duration requeue(Instant now, Instant wakeAt, boolean waitingForRoom) {
    Duration wait = wakeAt == null ? SAFETY_REQUEUE : Duration.between(now, wakeAt);
    if (waitingForRoom && wait.compareTo(WAIT_FOR_ROOM) > 0) {
      wait = WAIT_FOR_ROOM;
    }
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  private static RunDecision decision(
      Observation observed,
      Plan plan,
      TaskRunStatus status,
      List<ObjectEvent> events,
      Duration requeueAfter) {
    return new RunDecision(
        plan.create(),
        plan.dispatch(),
        observed.cancel(),
        observed.recorded(),
        status,
        events,
        requeueAfter,
        false);
  }
}
