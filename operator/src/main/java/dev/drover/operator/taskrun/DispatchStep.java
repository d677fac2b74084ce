package dev.drover.operator.taskrun;

import dev.drover.api.Timestamps;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.RetryPolicy;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.operator.support.ObjectEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Places a run's work within its parallelism: first attempts, attempts still waiting for a target,
 * and retries whose backoff is over, each on the least loaded agent with room (a Broadcast unit on
 * its own agent) or, with executor Pod, released for the scheduler. Every attempt is built with its
 * placement; nothing built here is changed afterwards.
 */
final class DispatchStep {
  /**
   * @param create attempts to create
   * @param dispatch existing attempts, copied with their agent set or released to start
   * @param waitingForRoom some work found no agent with room
   * @param wakeAt when the next backoff ends, or null
   */
  record Plan(
      List<TaskExecution> create,
      List<TaskExecution> dispatch,
      List<ObjectEvent> events,
      boolean waitingForRoom,
      Instant wakeAt) {}

  private final RunContext ctx;
  private final TaskRun run;
  private final boolean inPods;
  private final Placement placement;
  private final List<TaskExecution> create = new ArrayList<>();
  private final List<TaskExecution> dispatch = new ArrayList<>();
  private final List<ObjectEvent> events = new ArrayList<>();
  private int slots;
  private boolean waitingForRoom;
  private Instant wakeAt;

  private DispatchStep(RunContext ctx, List<Unit> units) {
    this.ctx = ctx;
    this.run = ctx.run();
    this.inPods = RunTargets.inPods(run.getSpec());
    this.placement = new Placement(RunTargets.eligibleAgents(ctx), ctx.agentLoad());
    Integer parallelism = run.getSpec().parallelism();
    int active =
        units.stream().filter(Unit::active).mapToInt(u -> Batches.cost(run.getSpec(), u)).sum();
    this.slots = (parallelism == null ? Integer.MAX_VALUE : parallelism) - active;
  }

  /** The placements for {@code units} (in target order) of a run that {@code stop}s or not. */
  static Plan plan(RunContext ctx, List<Unit> units, Stop stop) {
    DispatchStep step = new DispatchStep(ctx, units);
    RetryPolicy retries = ctx.retries();
    for (Unit unit : units) {
      if (unit.unborn()) {
        step.placeFirst(unit, stop == null);
      } else if (stop != null) {
        continue;
      } else if (!unit.latest().phase().isFinished() && !unit.latest().dispatched()) {
        step.placeWaiting(unit);
      } else if (UnitState.of(unit, null, retries) == UnitState.RETRYING) {
        step.retry(unit, retries);
      }
    }
    return new Plan(step.create, step.dispatch, step.events, step.waitingForRoom, step.wakeAt);
  }

  /**
   * Creates the unit's first attempt, placed when the run goes on and there is room. A batch is
   * created only once an agent has room for it: the items of a batch waiting for room need no
   * execution yet.
   */
  private void placeFirst(Unit unit, boolean placing) {
    if (run.getSpec().batched()) {
      if (placing && fits(unit)) {
        String agent = choose(unit, null);
        if (agent != null) {
          create.add(attempt(unit, 1, agent, false, null));
          slots -= Batches.cost(run.getSpec(), unit);
        }
      }
      return;
    }
    if (!placing || slots <= 0) {
      create.add(attempt(unit, 1, null, false, null));
    } else if (inPods) {
      create.add(attempt(unit, 1, null, true, null));
      slots--;
    } else {
      String agent = choose(unit, null);
      create.add(attempt(unit, 1, agent, false, null));
      if (agent != null) {
        slots--;
      }
    }
  }

  private void placeWaiting(Unit unit) {
    if (!fits(unit)) {
      return;
    }
    if (inPods) {
      dispatch.add(ExecutionFactory.released(unit.latest()));
      slots--;
      return;
    }
    String agent = choose(unit, null);
    if (agent != null) {
      dispatch.add(ExecutionFactory.dispatched(unit.latest(), agent));
      slots--;
    }
  }

  /** A new attempt once the backoff is over; a retry prefers another agent or node. */
  private void retry(Unit unit, RetryPolicy retries) {
    TaskExecution failed = unit.latest();
    int next = unit.attemptCount() + 1;
    Instant failedAt = Timestamps.parse(failed.getStatus().completionTime());
    Instant due = (failedAt == null ? ctx.now() : failedAt).plus(Backoff.before(next, retries));
    if (ctx.now().isBefore(due)) {
      wakeAt = ObserveStep.earliest(wakeAt, due);
      return;
    }
    if (!fits(unit)) {
      return;
    }
    String where;
    if (inPods) {
      create.add(attempt(unit, next, null, true, failed.getStatus().node()));
      where = "in a new pod";
    } else {
      String agent = choose(unit, failed.getSpec().agent());
      if (agent == null) {
        return;
      }
      create.add(attempt(unit, next, agent, false, null));
      where = "on " + agent;
    }
    slots -= Batches.cost(run.getSpec(), unit);
    if (failed.phase() == ExecutionPhase.TimedOut) {
      events.add(RunEvents.timedOut(unit));
    }
    events.add(RunEvents.retrying(unit, next, where));
  }

  /** Whether the run's parallelism leaves room for the unit's next attempt. */
  private boolean fits(Unit unit) {
    return slots > 0 && slots >= Batches.cost(run.getSpec(), unit);
  }

  /** The agent for the unit's next attempt, or null (and the run waits) when none has room. */
  private String choose(Unit unit, String avoid) {
    String agent =
        unit.target() != null
            ? placement.take(unit.target())
            : placement.takeLeastLoaded(avoid).orElse(null);
    waitingForRoom |= agent == null;
    return agent;
  }

  private TaskExecution attempt(
      Unit unit, int number, String agent, boolean released, String avoidNode) {
    if (run.getSpec().batched()) {
      return ExecutionFactory.batchAttempt(
          run, unit.key(), Batches.nextIndices(run.getSpec(), unit), number, agent);
    }
    return inPods
        ? ExecutionFactory.podAttempt(
            run, unit.key(), unit.target(), unit.item(), number, released, avoidNode)
        : ExecutionFactory.attempt(run, unit.key(), unit.target(), unit.item(), number, agent);
  }
}
