package dev.drover.operator.taskrun;

import dev.drover.api.Timestamps;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunStatus;
import dev.drover.operator.support.ObjectEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checks before a run places any work: finished already (then only its clean-up remains), an
 * invalid spec, cancelled before it started, or no target to place work on.
 */
final class StartStep {
  static final String WAITING_FOR_TARGETS = "WaitingForTargets";

  /** How often a run that waits for targets (or for late joiners) looks for them. */
  static final Duration TARGET_POLL = Duration.ofSeconds(2);

  /**
   * A Broadcast waits for agents registered this recently that have no Lease verdict yet; older
   * ones that never got one are not waited for.
   */
  static final Duration STARTING_AGENT_WINDOW = Duration.ofSeconds(30);

  /**
   * A Broadcast starts once no matching agent has become Ready for this long: agents started
   * together become Ready over a few seconds.
   */
  static final Duration AGENT_SETTLE = Duration.ofSeconds(5);

  private StartStep() {}

  /** The decision for a run that has ended, or ends now before placing work; else empty. */
  static Optional<RunDecision> endEarly(RunContext ctx) {
    TaskRun run = ctx.run();
    TaskRunStatus previous = run.getStatus();
    if (previous != null && previous.phase() != null && previous.phase().isFinished()) {
      return Optional.of(afterFinish(ctx));
    }
    List<String> problems =
        ctx.templateProblems().isEmpty() ? SpecProblems.of(run.getSpec()) : ctx.templateProblems();
    if (!problems.isEmpty()) {
      return Optional.of(
          end(ctx, RunEnd.INVALID_SPEC, RunEnd.INVALID_SPEC.message(String.join("; ", problems))));
    }
    if (!starting(run)) {
      return Optional.empty();
    }
    if (run.getSpec().cancelRequested()) {
      return Optional.of(end(ctx, RunEnd.CANCELLED, "cancelled before it started"));
    }
    Instant giveUpAt = targetWaitEnd(run, ctx.now());
    boolean waiting = ctx.now().isBefore(giveUpAt);
    if (RunTargets.names(ctx).isEmpty()) {
      return Optional.of(
          waiting
              ? waitForTargets(ctx, giveUpAt, RunTargets.explainNone(ctx))
              : end(ctx, RunEnd.NO_TARGETS, RunTargets.explainNone(ctx)));
    }
    List<String> joining = RunTargets.joiningAgents(ctx, STARTING_AGENT_WINDOW, AGENT_SETTLE);
    if (waiting && !joining.isEmpty()) {
      return Optional.of(
          waitForTargets(
              ctx, giveUpAt, "matching agent(s) " + String.join(", ", joining) + " still joining"));
    }
    return Optional.empty();
  }

  /** When a run that has found no target gives up: targetWaitSeconds after it was created. */
  static Instant targetWaitEnd(TaskRun run, Instant now) {
    Instant created = Timestamps.parse(run.getMetadata().getCreationTimestamp());
    return (created == null ? now : created)
        .plusSeconds(run.getSpec().targetWaitSecondsOrDefault());
  }

  /**
   * Stays Pending, saying why, and looks again soon: agents applied with the run are seconds from
   * Ready, and their changes wake no run.
   */
  private static RunDecision waitForTargets(RunContext ctx, Instant giveUpAt, String why) {
    String message =
        why
            + "; waiting until "
            + giveUpAt
            + " (targetWaitSeconds "
            + ctx.run().getSpec().targetWaitSecondsOrDefault()
            + ")";
    TaskRunStatus status =
        RunStatusBuilder.waiting(ctx.run(), WAITING_FOR_TARGETS, message, ctx.now());
    ObjectEvent event = ObjectEvent.normal("waiting-for-targets", WAITING_FOR_TARGETS, message);
    Duration untilGiveUp = Duration.between(ctx.now(), giveUpAt);
    return RunDecision.statusOnly(
        status, List.of(event), untilGiveUp.compareTo(TARGET_POLL) < 0 ? untilGiveUp : TARGET_POLL);
  }

  /** Whether this pass starts the run: no start time is recorded yet. */
  static boolean starting(TaskRun run) {
    return run.getStatus() == null || run.getStatus().startTime() == null;
  }

  /** How long a finished run stays before ttlSecondsAfterFinished deletes it; null: forever. */
  static Duration ttlWait(RunContext ctx, Instant completed) {
    Long ttl = ctx.run().getSpec() == null ? null : ctx.run().getSpec().ttlSecondsAfterFinished();
    if (ttl == null || completed == null) {
      return null;
    }
    Duration wait = Duration.between(ctx.now(), completed.plusSeconds(ttl));
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  private static RunDecision end(RunContext ctx, RunEnd end, String message) {
    TaskRunStatus status =
        RunStatusBuilder.finished(
            ctx.run(), List.of(), Map.of(), end, message, ctx.now(), ctx.now(), null);
    return RunDecision.statusOnly(
        status, List.of(RunEvents.finished(end, message, 0)), ttlWait(ctx, ctx.now()));
  }

  private static RunDecision afterFinish(RunContext ctx) {
    TaskRunStatus status = ctx.run().getStatus();
    Duration wait = ttlWait(ctx, Timestamps.parse(status.completionTime()));
    if (wait != null && wait.isZero()) {
      return RunDecision.deletion();
    }
    return RunDecision.statusOnly(status, List.of(), wait);
  }
}
