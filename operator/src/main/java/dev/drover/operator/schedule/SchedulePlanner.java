package dev.drover.operator.schedule;

import dev.drover.api.DroverLabels;
import dev.drover.api.Timestamps;
import dev.drover.api.schedule.ScheduledTask;
import dev.drover.api.schedule.ScheduledTaskSpec;
import dev.drover.api.schedule.ScheduledTaskStatus;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.operator.support.Conditions;
import dev.drover.operator.support.ObjectEvent;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which runs a ScheduledTask creates now, which due times are missed, and what its status
 * says. Every due time up to {@code status.handledThrough} has been fired or counted, so a
 * restarted operator picks up exactly where the last one stopped. A run is a TaskRun or a TaskFlow
 * (the template decides), planned alike. Pure: no API calls, no clock.
 */
final class SchedulePlanner {
  private SchedulePlanner() {}

  /**
   * @param children the TaskRuns and TaskFlows the task owns
   */
  static ScheduleDecision decide(
      ScheduledTask task, List<? extends HasMetadata> children, Instant now) {
    List<HasMetadata> runs = List.copyOf(children);
    ScheduledTaskSpec spec = task.getSpec();
    ScheduledTaskStatus previous = task.getStatus();
    Instant created =
        Optional.ofNullable(Timestamps.parse(task.getMetadata().getCreationTimestamp()))
            .orElse(now);
    Triggers.Parsed parsed = Triggers.parse(spec, created);
    List<HasMetadata> active = ScheduleHistory.active(runs);
    List<HasMetadata> delete = ScheduleHistory.beyondLimits(spec, runs);
    List<ObjectEvent> events = new ArrayList<>();
    if (!parsed.valid()) {
      String message = String.join("; ", parsed.problems());
      events.add(
          ObjectEvent.warning(
              "invalid/" + task.getMetadata().getGeneration(), "InvalidSpec", message));
      ScheduledTaskStatus status =
          status(
              task,
              null,
              previous,
              null,
              null,
              previous == null ? null : previous.handledThrough(),
              active,
              0,
              previous == null ? null : previous.lastManualToken(),
              runs,
              Conditions.of(
                  "Ready",
                  false,
                  "InvalidSpec",
                  message,
                  task.getMetadata().getGeneration(),
                  Timestamps.format(now),
                  conditions(previous)));
      return new ScheduleDecision(List.of(), List.of(), delete, status, events, null);
    }
    Trigger trigger = parsed.trigger();
    Firings firings = new Firings(task, now, active, runs, events);

    String token =
        task.getMetadata().getAnnotations() == null
            ? null
            : task.getMetadata().getAnnotations().get(DroverLabels.RUN_NOW);
    String lastToken = previous == null ? null : previous.lastManualToken();
    if (token != null && !token.isBlank() && !token.equals(lastToken)) {
      firings.fireManual(token);
      lastToken = token;
    }

    Duration offset =
        Jitter.offset(
            task.getMetadata().getNamespace(), task.getMetadata().getName(), spec.jitterSeconds());
    Instant handledThrough =
        previous == null || previous.handledThrough() == null
            ? created.minusMillis(1)
            : Instant.parse(previous.handledThrough());
    Instant lastScheduled = previous == null ? null : Timestamps.parse(previous.lastScheduleTime());
    long missed = 0;
    if (!spec.suspended()) {
      Backlog backlog = Backlog.between(trigger, handledThrough, now.minus(offset), spec);
      if (backlog.count() > 0) {
        List<Instant> fire = backlog.toFire(spec, now);
        missed = backlog.count() - fire.size();
        for (Instant due : fire) {
          if (firings.fireScheduled(due)) {
            lastScheduled = due;
          } else {
            missed++;
          }
        }
        if (missed > 0) {
          events.add(
              ObjectEvent.warning(
                  "missed/" + backlog.latest(),
                  "MissedRuns",
                  missed
                      + " due time(s) up to "
                      + backlog.latest()
                      + " passed without a run (missedRunPolicy "
                      + spec.missedRunPolicyOrDefault()
                      + ", concurrencyPolicy "
                      + spec.concurrencyPolicyOrDefault()
                      + ")"));
        }
        handledThrough = backlog.latest();
      }
    }
    Instant nextDue =
        spec.suspended()
            ? null
            : trigger.next(maxOf(handledThrough, now.minus(offset))).orElse(null);
    Condition ready =
        spec.suspended()
            ? Conditions.of(
                "Ready",
                true,
                "Suspended",
                "suspended: no runs are created",
                task.getMetadata().getGeneration(),
                Timestamps.format(now),
                conditions(previous))
            : Conditions.of(
                "Ready",
                true,
                nextDue == null ? "Done" : "Scheduled",
                nextDue == null ? "no further due times" : "next run due at " + nextDue,
                task.getMetadata().getGeneration(),
                Timestamps.format(now),
                conditions(previous));
    List<HasMetadata> stillActive = firings.active();
    long totalMissed =
        (previous == null || previous.missed() == null ? 0 : previous.missed()) + missed;
    ScheduledTaskStatus status =
        status(
            task,
            trigger,
            previous,
            lastScheduled,
            nextDue,
            handledThrough.toString(),
            stillActive,
            totalMissed,
            lastToken,
            runs,
            ready);
    return new ScheduleDecision(
        firings.create(),
        firings.cancel(),
        delete,
        status,
        events,
        nextDue == null ? null : nextDue.plus(offset));
  }

  private static ScheduledTaskStatus status(
      ScheduledTask task,
      Trigger trigger,
      ScheduledTaskStatus previous,
      Instant lastScheduled,
      Instant nextDue,
      String handledThrough,
      List<HasMetadata> active,
      long missed,
      String lastToken,
      List<HasMetadata> runs,
      Condition ready) {
    String lastSuccessful =
        runs.stream()
            .filter(r -> ScheduleHistory.phase(r) == RunPhase.Succeeded)
            .map(ScheduledChildren::completionTime)
            .filter(Objects::nonNull)
            .max(Comparator.naturalOrder())
            .orElse(previous == null ? null : previous.lastSuccessfulTime());
    List<String> activeNames =
        active.stream().map(r -> r.getMetadata().getName()).sorted().toList();
    return new ScheduledTaskStatus(
        trigger == null ? null : trigger.describe(),
        lastScheduled == null
            ? (previous == null ? null : previous.lastScheduleTime())
            : lastScheduled.toString(),
        nextDue == null ? null : nextDue.toString(),
        lastSuccessful,
        handledThrough,
        activeNames.isEmpty() ? null : activeNames,
        activeNames.size(),
        missed,
        lastToken,
        List.of(ready),
        task.getMetadata().getGeneration());
  }

  private static List<Condition> conditions(ScheduledTaskStatus status) {
    return status == null ? null : status.conditions();
  }

  private static Instant maxOf(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
