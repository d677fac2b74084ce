package dev.drover.operator.taskrun;

import dev.drover.api.Timestamps;
import dev.drover.api.taskrun.TaskRunStatus;
import dev.drover.operator.taskrun.DispatchStep.Plan;
import dev.drover.operator.taskrun.ObserveStep.Observation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides what happens next to a run from what the caches show, in four pure steps: start checks,
 * observe, dispatch, conclude. No API calls, no clock.
 */
final class RunPlanner {
  private RunPlanner() {}

  static RunDecision decide(RunContext ctx) {
    Optional<RunDecision> ended = StartStep.endEarly(ctx);
    if (ended.isPresent()) {
      return ended.get();
    }
    boolean starting = StartStep.starting(ctx.run());
    Instant startTime = starting ? ctx.now() : Timestamps.parse(ctx.run().getStatus().startTime());
    List<Unit> units = units(ctx, starting);
    Observation observed = ObserveStep.observe(ctx, units, startTime);
    Instant lateJoinUntil = observed.stop() == null ? lateJoinUntil(ctx, startTime) : null;
    if (lateJoinUntil != null) {
      units = withMissing(ctx, units);
    }
    Plan plan = DispatchStep.plan(ctx, units, observed.stop());
    return ConcludeStep.conclude(ctx, startTime, starting, observed, plan, lateJoinUntil);
  }

  /**
   * The run's units in target order: those with executions, and those still to create. A started
   * run recreates the first attempts of units it counted whose executions are gone (deleted by
   * hand, or never created because a deleted run's leftovers held their names).
   */
  static List<Unit> units(RunContext ctx, boolean starting) {
    List<Unit> units = Unit.group(ctx.executions());
    TaskRunStatus previous = ctx.run().getStatus();
    int counted = starting || previous.targets() == null ? 0 : previous.targets().total();
    boolean batched = ctx.run().getSpec().batched();
    return starting || batched || units.size() < counted ? withMissing(ctx, units) : units;
  }

  /**
   * The end of a Broadcast's late-join window while it is open, else null: until then, targets that
   * become eligible get units of their own.
   */
  static Instant lateJoinUntil(RunContext ctx, Instant startTime) {
    long window = ctx.run().getSpec().lateJoinSecondsOrDefault();
    Instant until = startTime.plusSeconds(window);
    return window > 0 && ctx.now().isBefore(until) ? until : null;
  }

  private static List<Unit> withMissing(RunContext ctx, List<Unit> units) {
    List<Unit> all = new ArrayList<>(units);
    all.addAll(RunTargets.missing(ctx.run(), RunTargets.names(ctx), ctx.executions()));
    all.sort(Unit.TARGET_ORDER);
    return all;
  }
}
