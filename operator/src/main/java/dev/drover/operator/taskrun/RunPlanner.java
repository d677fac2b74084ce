package dev.drover.operator.taskrun;

import dev.drover.api.DroverLabels;
import dev.drover.api.Timestamps;
import dev.drover.api.agent.Agent;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.Executor;
import dev.drover.api.taskrun.RetryPolicy;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.api.taskrun.TaskRunStatus;
import dev.drover.operator.support.ObjectEvent;
import dev.drover.operator.taskrun.RunDecision.RecordedOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides what happens next to a run from what the caches show: which units to create and dispatch,
 * which to retry or stop, and the status that results. Pure: no API calls, no clock.
 */
final class RunPlanner {
  static final Duration WAIT_FOR_ROOM = Duration.ofSeconds(5);
  static final Duration TIMEOUT_BACKSTOP_GRACE = Duration.ofSeconds(30);
  static final Duration SAFETY_REQUEUE = Duration.ofMinutes(5);

  /** Reasons that say no more than a non-zero exit code does (an agent's and a kubelet's). */
  private static final Set<String> GENERIC_FAILURE_REASONS = Set.of("NonZeroExit", "Error");

  private RunPlanner() {}

  static RunDecision decide(RunContext ctx) {
    TaskRun run = ctx.run();
    TaskRunStatus previous = run.getStatus();
    if (previous != null && previous.phase() != null && previous.phase().isFinished()) {
      return afterFinish(ctx);
    }
    List<String> problems = SpecProblems.of(run.getSpec());
    if (!problems.isEmpty()) {
      return endBeforeStart(
          ctx, RunPhase.Failed, "InvalidSpec", "invalid spec: " + String.join("; ", problems));
    }
    boolean starting = previous == null || previous.startTime() == null;
    if (!starting) {
      return new Pass(ctx, Timestamps.parse(previous.startTime()), vanishedFirstAttempts(ctx))
          .run();
    }
    if (run.getSpec().cancelRequested()) {
      return endBeforeStart(ctx, RunPhase.Cancelled, "Cancelled", "cancelled before it started");
    }
    List<String> targets = targetNames(ctx);
    if (targets.isEmpty()) {
      return endBeforeStart(ctx, RunPhase.Failed, "NoTargets", explainNoTargets(ctx));
    }
    return new Pass(ctx, ctx.now(), missingFirstAttempts(run, targets, ctx.executions())).run();
  }

  /**
   * First attempts of units whose executions are gone although the run counted them (deleted by
   * hand, or never created because a same-named run's leftovers still held their names). Single and
   * Distribute units follow from the spec; Broadcast ones are taken from today's targets.
   */
  private static List<TaskExecution> vanishedFirstAttempts(RunContext ctx) {
    TaskRunStatus previous = ctx.run().getStatus();
    int counted = previous.targets() == null ? 0 : previous.targets().total();
    long present = ctx.executions().stream().map(e -> e.getSpec().unit()).distinct().count();
    return present < counted
        ? missingFirstAttempts(ctx.run(), targetNames(ctx), ctx.executions())
        : List.of();
  }

  /** Names of the agents, or with executor Pod the nodes, that may take the run's work. */
  private static List<String> targetNames(RunContext ctx) {
    TaskRunSpec spec = ctx.run().getSpec();
    if (inPods(spec)) {
      return NodePlacement.eligible(ctx.nodes(), spec.selector(), spec.pod().tolerations()).stream()
          .map(n -> n.getMetadata().getName())
          .toList();
    }
    return Placement.eligible(ctx.agents(), spec.selector(), namespace(ctx.run())).stream()
        .map(a -> a.getMetadata().getName())
        .toList();
  }

  private static String explainNoTargets(RunContext ctx) {
    TaskRunSpec spec = ctx.run().getSpec();
    return inPods(spec)
        ? NodePlacement.explainNoTargets(ctx.nodes(), spec.selector(), spec.pod().tolerations())
        : Placement.explainNoTargets(ctx.agents(), spec.selector(), namespace(ctx.run()));
  }

  static boolean inPods(TaskRunSpec spec) {
    return spec.executorOrDefault() == Executor.Pod;
  }

  /**
   * A new attempt at a unit; for a pod, {@code released} lets it start and it avoids {@code
   * avoidNode}.
   */
  private static TaskExecution newAttempt(
      TaskRun run,
      String unitKey,
      String target,
      String item,
      int attempt,
      boolean released,
      String avoidNode) {
    return inPods(run.getSpec())
        ? ExecutionFactory.podAttempt(run, unitKey, target, item, attempt, released, avoidNode)
        : ExecutionFactory.attempt(run, unitKey, target, item, attempt, null);
  }

  /**
   * First attempts of the run's units that do not exist yet (all, unless a start was cut short).
   */
  private static List<TaskExecution> missingFirstAttempts(
      TaskRun run, List<String> targets, Collection<TaskExecution> existing) {
    Set<String> existingUnits =
        existing.stream()
            .map(e -> e.getSpec().unit())
            .collect(Collectors.toCollection(HashSet::new));
    List<TaskExecution> missing = new ArrayList<>();
    TaskRunSpec spec = run.getSpec();
    if (spec.dispatchOrDefault() == Dispatch.Broadcast) {
      for (String name : targets) {
        String key = ExecutionFactory.unitKeyForTarget(name);
        if (!existingUnits.contains(key)) {
          missing.add(newAttempt(run, key, name, null, 1, false, null));
        }
      }
    } else if (spec.dispatchOrDefault() == Dispatch.Single) {
      if (!existingUnits.contains(ExecutionFactory.SINGLE_UNIT)) {
        missing.add(newAttempt(run, ExecutionFactory.SINGLE_UNIT, null, null, 1, false, null));
      }
    } else {
      for (int i = 0; i < spec.items().size(); i++) {
        String key = ExecutionFactory.unitKeyForItem(i);
        if (!existingUnits.contains(key)) {
          missing.add(newAttempt(run, key, null, spec.items().get(i), 1, false, null));
        }
      }
    }
    return missing;
  }

  private static RunDecision endBeforeStart(
      RunContext ctx, RunPhase phase, String reason, String message) {
    TaskRunStatus status =
        RunStatusBuilder.finished(
            ctx.run(), List.of(), Map.of(), phase, reason, message, ctx.now(), ctx.now());
    String eventReason = phase == RunPhase.Cancelled ? "Cancelled" : reason;
    List<ObjectEvent> events =
        List.of(new ObjectEvent("finished", eventReason, message, phase != RunPhase.Cancelled));
    return RunDecision.statusOnly(status, events, ttlWait(ctx, ctx.now()));
  }

  private static RunDecision afterFinish(RunContext ctx) {
    TaskRunStatus status = ctx.run().getStatus();
    Instant completed = Timestamps.parse(status.completionTime());
    Long ttl = ctx.run().getSpec() == null ? null : ctx.run().getSpec().ttlSecondsAfterFinished();
    if (ttl != null && completed != null && !ctx.now().isBefore(completed.plusSeconds(ttl))) {
      return RunDecision.deletion();
    }
    return RunDecision.statusOnly(status, List.of(), ttlWait(ctx, completed));
  }

  private static Duration ttlWait(RunContext ctx, Instant completed) {
    Long ttl = ctx.run().getSpec() == null ? null : ctx.run().getSpec().ttlSecondsAfterFinished();
    if (ttl == null || completed == null) {
      return null;
    }
    Duration wait = Duration.between(ctx.now(), completed.plusSeconds(ttl));
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  static String namespace(TaskRun run) {
    return run.getMetadata().getNamespace();
  }

  /** Why a run stops taking new work. */
  enum Stop {
    CANCELLED(true),
    DEADLINE_EXCEEDED(true),
    MAX_FAILURES_REACHED(false);

    /** Whether running attempts are stopped too, or allowed to finish. */
    final boolean stopsRunning;

    Stop(boolean stopsRunning) {
      this.stopsRunning = stopsRunning;
    }
  }

  /** One reconcile's worth of decisions for a run that has started. */
  private static final class Pass {
    private final RunContext ctx;
    private final TaskRun run;
    private final TaskRunSpec spec;
    private final Instant startTime;
    private final boolean starting;
    private final Set<TaskExecution> unsaved;
    private final List<TaskExecution> create = new ArrayList<>();
    private final List<TaskExecution> dispatch = new ArrayList<>();
    private final List<TaskExecution> cancel = new ArrayList<>();
    private final List<RecordedOutcome> recorded = new ArrayList<>();
    private final List<ObjectEvent> events = new ArrayList<>();
    private final Map<String, UnitState> states = new LinkedHashMap<>();
    private Instant wakeAt;
    private boolean waitingForRoom;

    Pass(RunContext ctx, Instant startTime, List<TaskExecution> newFirstAttempts) {
      this.ctx = ctx;
      this.run = ctx.run();
      this.spec = run.getSpec();
      this.startTime = startTime;
      this.starting = run.getStatus() == null || run.getStatus().startTime() == null;
      this.unsaved = Collections.newSetFromMap(new IdentityHashMap<>());
      this.unsaved.addAll(newFirstAttempts);
      this.create.addAll(newFirstAttempts);
    }

    RunDecision run() {
      List<TaskExecution> all = new ArrayList<>(ctx.executions());
      all.addAll(create);
      List<Unit> units = units(all);
      RetryPolicy retries = spec.retriesOrDefault();
      Stop stop = stopReason(units, retries);
      List<Agent> candidates =
          inPods(spec)
              ? List.of()
              : Placement.eligible(ctx.agents(), spec.selector(), namespace(run));
      Placement placement = new Placement(candidates, ctx.agentLoad());
      Set<String> knownAgents =
          ctx.agents().stream().map(a -> a.getMetadata().getName()).collect(Collectors.toSet());
      int slots =
          parallelism(units.size())
              - (int) units.stream().filter(u -> isActive(u.latest())).count();
      for (Unit unit : units) {
        TaskExecution latest = unit.latest();
        if (!latest.phase().isFinished()) {
          slots -= decideUnfinished(unit, stop, slots, placement, knownAgents);
        } else if (latest.phase().isFailure()
            && unit.attemptCount() <= retries.limitOrDefault()
            && stop == null) {
          slots -= decideRetry(unit, retries, slots, placement);
        } else {
          states.put(unit.key(), settledState(latest.phase()));
        }
      }
      // Retries created in this pass are their units' latest attempts now.
      List<TaskExecution> withCreated = new ArrayList<>(ctx.executions());
      withCreated.addAll(create);
      return conclude(units(withCreated), stop);
    }

    /** Returns the slots it used (0 or 1). */
    private int decideUnfinished(
        Unit unit, Stop stop, int slots, Placement placement, Set<String> knownAgents) {
      TaskExecution latest = unit.latest();
      if (!latest.dispatched()) {
        if (stop != null) {
          states.put(unit.key(), UnitState.CANCELLED);
          return 0;
        }
        states.put(unit.key(), UnitState.PENDING);
        if (slots <= 0) {
          return 0;
        }
        if (inPods(spec)) {
          release(latest);
          return 1;
        }
        String agent = choose(unit, placement, null);
        if (agent == null) {
          waitingForRoom = true;
          return 0;
        }
        dispatchTo(latest, agent);
        return 1;
      }
      states.put(unit.key(), UnitState.ofActive(latest.phase()));
      if (stop != null && stop.stopsRunning && !latest.getSpec().cancelRequested()) {
        cancel.add(latest);
      }
      String agent = latest.getSpec().agent();
      String runner =
          latest.getSpec().runsInPod() ? "pod " + latest.getMetadata().getName() : "agent " + agent;
      if (!latest.getSpec().runsInPod() && !knownAgents.contains(agent)) {
        recorded.add(
            new RecordedOutcome(
                latest, ExecutionPhase.Lost, "AgentGone", "agent " + agent + " no longer exists"));
      } else if (latest.phase() == ExecutionPhase.Running
          && latest.getSpec().timeoutSeconds() != null) {
        Instant started = Timestamps.parse(latest.getStatus().startTime());
        if (started != null) {
          Instant backstop =
              started.plusSeconds(latest.getSpec().timeoutSeconds()).plus(TIMEOUT_BACKSTOP_GRACE);
          if (ctx.now().isBefore(backstop)) {
            wakeNoLaterThan(backstop);
          } else {
            recorded.add(
                new RecordedOutcome(
                    latest,
                    ExecutionPhase.TimedOut,
                    "Timeout",
                    runner
                        + " did not stop the attempt within its "
                        + latest.getSpec().timeoutSeconds()
                        + "s timeout"));
            cancel.add(latest);
          }
        }
      }
      return 0;
    }

    /** Returns the slots it used (0 or 1). */
    private int decideRetry(Unit unit, RetryPolicy retries, int slots, Placement placement) {
      states.put(unit.key(), UnitState.RETRYING);
      TaskExecution failed = unit.latest();
      int next = unit.attemptCount() + 1;
      Instant failedAt = Timestamps.parse(failed.getStatus().completionTime());
      Instant due = (failedAt == null ? ctx.now() : failedAt).plus(Backoff.before(next, retries));
      if (ctx.now().isBefore(due)) {
        wakeNoLaterThan(due);
        return 0;
      }
      if (slots <= 0) {
        return 0;
      }
      String where;
      if (inPods(spec)) {
        String failedNode = failed.getStatus().node();
        create.add(
            ExecutionFactory.podAttempt(
                run, unit.key(), unit.target(), unit.item(), next, true, failedNode));
        where = "in a new pod";
      } else {
        String agent = choose(unit, placement, failed.getSpec().agent());
        if (agent == null) {
          waitingForRoom = true;
          return 0;
        }
        create.add(
            ExecutionFactory.attempt(run, unit.key(), unit.target(), unit.item(), next, agent));
        where = "on " + agent;
      }
      states.put(unit.key(), UnitState.PENDING);
      String what =
          failed.phase() == ExecutionPhase.TimedOut ? "timed out" : describeFailure(failed);
      if (failed.phase() == ExecutionPhase.TimedOut) {
        events.add(timedOut(unit));
      }
      events.add(
          ObjectEvent.warning(
              "retry/" + unit.key() + "/" + next,
              "Retrying",
              "attempt "
                  + unit.attemptCount()
                  + " of "
                  + unit.displayName()
                  + " "
                  + what
                  + "; attempt "
                  + next
                  + " runs "
                  + where));
      return 1;
    }

    private RunDecision conclude(List<Unit> units, Stop stop) {
      Instant now = ctx.now();
      if (starting) {
        events.add(
            ObjectEvent.normal(
                "started",
                "Started",
                "dispatching to "
                    + units.size()
                    + " target(s) ("
                    + spec.dispatchOrDefault()
                    + ")"));
      }
      boolean done = states.values().stream().allMatch(UnitState::isSettled);
      if (!done) {
        TaskRunStatus status =
            RunStatusBuilder.running(run, units, states, startTime, now, waitingForRoom);
        return new RunDecision(
            create, dispatch, cancel, recorded, status, events, requeue(now), false);
      }
      Outcome outcome = outcome(stop);
      TaskRunStatus status =
          RunStatusBuilder.finished(
              run, units, states, outcome.phase(), outcome.reason(), null, startTime, now);
      units.stream()
          .filter(u -> u.latest().phase() == ExecutionPhase.TimedOut)
          .map(RunPlanner::timedOut)
          .forEach(events::add);
      events.add(
          new ObjectEvent(
              "finished",
              outcome.eventReason(),
              status.message(),
              outcome.phase() != RunPhase.Succeeded));
      return new RunDecision(
          create, dispatch, cancel, recorded, status, events, ttlWait(ctx, now), false);
    }

    private Outcome outcome(Stop stop) {
      if (stop == Stop.CANCELLED) {
        return new Outcome(RunPhase.Cancelled, "Cancelled", "Cancelled");
      }
      if (stop == Stop.DEADLINE_EXCEEDED) {
        return new Outcome(RunPhase.Failed, "DeadlineExceeded", "Failed");
      }
      if (stop == Stop.MAX_FAILURES_REACHED) {
        return new Outcome(RunPhase.Failed, "MaxFailuresReached", "Failed");
      }
      if (states.containsValue(UnitState.FAILED)) {
        return new Outcome(RunPhase.Failed, "TargetsFailed", "Failed");
      }
      if (states.containsValue(UnitState.CANCELLED)) {
        return new Outcome(RunPhase.Failed, "TargetsCancelled", "Failed");
      }
      return new Outcome(RunPhase.Succeeded, "Completed", "Succeeded");
    }

    private record Outcome(RunPhase phase, String reason, String eventReason) {}

    private Stop stopReason(List<Unit> units, RetryPolicy retries) {
      if (spec.cancelRequested()) {
        return Stop.CANCELLED;
      }
      if (spec.activeDeadlineSeconds() != null) {
        Instant deadline = startTime.plusSeconds(spec.activeDeadlineSeconds());
        if (!ctx.now().isBefore(deadline)) {
          return Stop.DEADLINE_EXCEEDED;
        }
        wakeNoLaterThan(deadline);
      }
      long finalFailures =
          units.stream()
              .filter(
                  u ->
                      u.latest().phase().isFailure() && u.attemptCount() > retries.limitOrDefault())
              .count();
      if (finalFailures >= MaxFailures.threshold(spec.maxFailures(), units.size())) {
        return Stop.MAX_FAILURES_REACHED;
      }
      return null;
    }

    private String choose(Unit unit, Placement placement, String avoid) {
      if (unit.target() != null) {
        return placement.take(unit.target());
      }
      return placement.takeLeastLoaded(avoid).orElse(null);
    }

    private void release(TaskExecution execution) {
      if (unsaved.contains(execution)) {
        execution.setSpec(execution.getSpec().releasedToStart());
      } else {
        dispatch.add(ExecutionFactory.released(execution));
      }
    }

    private void dispatchTo(TaskExecution execution, String agent) {
      if (unsaved.contains(execution)) {
        execution.getMetadata().getLabels().put(DroverLabels.AGENT, agent);
        execution.setSpec(execution.getSpec().dispatchedTo(agent));
      } else {
        dispatch.add(ExecutionFactory.dispatched(execution, agent));
      }
    }

    private int parallelism(int unitCount) {
      return spec.parallelism() == null ? unitCount : spec.parallelism();
    }

    private static boolean isActive(TaskExecution execution) {
      return execution.dispatched() && !execution.phase().isFinished();
    }

    private Duration requeue(Instant now) {
      Duration wait = wakeAt == null ? SAFETY_REQUEUE : Duration.between(now, wakeAt);
      if (waitingForRoom && wait.compareTo(WAIT_FOR_ROOM) > 0) {
        wait = WAIT_FOR_ROOM;
      }
      return wait.isNegative() ? Duration.ZERO : wait;
    }

    private void wakeNoLaterThan(Instant instant) {
      if (wakeAt == null || instant.isBefore(wakeAt)) {
        wakeAt = instant;
      }
    }

    private static List<Unit> units(List<TaskExecution> executions) {
      return executions.stream()
          .collect(
              Collectors.groupingBy(
                  e -> e.getSpec().unit(), LinkedHashMap::new, Collectors.toList()))
          .values()
          .stream()
          .map(Unit::of)
          .sorted(Comparator.comparingInt(Unit::index).thenComparing(Unit::key))
          .toList();
    }
  }

  /** Keyed by unit and attempt: announced when retried and again when final, recorded once. */
  static ObjectEvent timedOut(Unit unit) {
    return ObjectEvent.warning(
        "timeout/" + unit.key() + "/" + unit.attemptCount(),
        "TimedOut",
        "attempt " + unit.attemptCount() + " of " + unit.displayName() + " timed out");
  }

  static UnitState settledState(ExecutionPhase phase) {
    return switch (phase) {
      case Succeeded -> UnitState.SUCCEEDED;
      case Cancelled -> UnitState.CANCELLED;
      default -> UnitState.FAILED;
    };
  }

  static String describeFailure(TaskExecution execution) {
    var status = execution.getStatus();
    if (status.phase() == ExecutionPhase.Lost) {
      return "was lost (" + status.reason() + ")";
    }
    if (status.exitCode() == null) {
      return "failed (" + status.reason() + ")";
    }
    boolean telling = status.reason() != null && !GENERIC_FAILURE_REASONS.contains(status.reason());
    return "exited with code " + status.exitCode() + (telling ? " (" + status.reason() + ")" : "");
  }
}
