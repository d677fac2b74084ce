package dev.drover.operator.schedule;

import dev.drover.api.DroverLabels;
import dev.drover.api.Timestamps;
import dev.drover.api.schedule.ConcurrencyPolicy;
import dev.drover.api.schedule.MissedRunPolicy;
import dev.drover.api.schedule.RunTemplate;
import dev.drover.api.schedule.ScheduledTask;
import dev.drover.api.schedule.ScheduledTaskSpec;
import dev.drover.api.schedule.ScheduledTaskStatus;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.operator.schedule.ScheduleDecision.ScheduledRun;
import dev.drover.operator.support.Conditions;
import dev.drover.operator.support.KubeNames;
import dev.drover.operator.support.ObjectEvent;
import dev.drover.operator.support.Owners;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides which runs a ScheduledTask creates now, which due times are missed, and what its status
 * says. Every due time up to {@code status.handledThrough} has been fired or counted, so a
 * restarted operator picks up exactly where the last one stopped. Pure: no API calls, no clock.
 */
final class SchedulePlanner {
  /** Due times looked at after an outage; older ones are counted as missed without being listed. */
  static final int MAX_BACKLOG = 100_000;

  static final int DEFAULT_MAX_CATCH_UP = 10;
  static final int DEFAULT_HISTORY = 3;

  private SchedulePlanner() {}

  static ScheduleDecision decide(ScheduledTask task, List<TaskRun> runs, Instant now) {
    ScheduledTaskSpec spec = task.getSpec();
    ScheduledTaskStatus previous = task.getStatus();
    Instant created =
        Optional.ofNullable(Timestamps.parse(task.getMetadata().getCreationTimestamp()))
            .orElse(now);
    Triggers.Parsed parsed = Triggers.parse(spec, created);
    List<TaskRun> active = runs.stream().filter(r -> !finished(r)).sorted(byDueTime()).toList();
    List<TaskRun> delete = pruneHistory(spec, runs);
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
    Pass pass = new Pass(task, now, active, runs, events);

    String token =
        task.getMetadata().getAnnotations() == null
            ? null
            : task.getMetadata().getAnnotations().get(DroverLabels.RUN_NOW);
    String lastToken = previous == null ? null : previous.lastManualToken();
    if (token != null && !token.isBlank() && !token.equals(lastToken)) {
      pass.fireManual(token);
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
      Backlog backlog = Backlog.between(trigger, handledThrough, now.minus(offset), maxKept(spec));
      if (backlog.count() > 0) {
        List<Instant> fire = chooseToFire(spec, backlog, now);
        missed = backlog.count() - fire.size();
        for (Instant due : fire) {
          if (pass.fireScheduled(due)) {
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
                      + missedRunPolicy(spec)
                      + ", concurrencyPolicy "
                      + concurrencyPolicy(spec)
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
    List<TaskRun> stillActive = new ArrayList<>(pass.active);
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
        pass.create,
        pass.cancel,
        delete,
        status,
        events,
        nextDue == null ? null : nextDue.plus(offset));
  }

  /**
   * The due times to fire out of a backlog, oldest first, by the missed-run policy and deadline.
   */
  static List<Instant> chooseToFire(ScheduledTaskSpec spec, Backlog backlog, Instant now) {
    List<Instant> inTime =
        backlog.kept().stream().filter(d -> withinDeadline(spec, d, now)).toList();
    if (inTime.isEmpty()) {
      return List.of();
    }
    Instant latest = backlog.latest();
    return switch (missedRunPolicy(spec)) {
      case RunOnce -> inTime.contains(latest) ? List.of(latest) : List.of();
      case Skip -> backlog.count() == 1 ? inTime : List.of();
      case CatchUp -> inTime.subList(Math.max(0, inTime.size() - maxCatchUp(spec)), inTime.size());
    };
  }

  static boolean withinDeadline(ScheduledTaskSpec spec, Instant due, Instant now) {
    return spec.startingDeadlineSeconds() == null
        || !now.isAfter(due.plusSeconds(spec.startingDeadlineSeconds()));
  }

  /** The due times in (after, until], counted in full but keeping only the latest {@code keep}. */
  record Backlog(long count, List<Instant> kept, Instant latest) {
    static Backlog between(Trigger trigger, Instant after, Instant until, int keep) {
      Deque<Instant> kept = new ArrayDeque<>();
      long count = 0;
      Instant cursor = after;
      while (count < MAX_BACKLOG) {
        Optional<Instant> next = trigger.next(cursor);
        if (next.isEmpty() || next.get().isAfter(until)) {
          break;
        }
        cursor = next.get();
        count++;
        kept.addLast(cursor);
        if (kept.size() > keep) {
          kept.removeFirst();
        }
      }
      if (count == MAX_BACKLOG) {
        // Too long an outage to walk: jump to the latest due time; the rest count as missed.
        Instant latest = trigger.latestAtOrBefore(until).orElse(cursor);
        if (!latest.equals(cursor)) {
          count++;
          kept.addLast(latest);
          kept.removeFirst();
          cursor = latest;
        }
      }
      return new Backlog(count, List.copyOf(kept), count == 0 ? null : cursor);
    }
  }

  /** Creations and cancellations of one reconcile, with the concurrency policy applied. */
  private static final class Pass {
    private final ScheduledTask task;
    private final Instant now;
    private final List<TaskRun> active;
    private final List<ObjectEvent> events;
    private final Set<String> existing;
    private final List<ScheduledRun> create = new ArrayList<>();
    private final List<TaskRun> cancel = new ArrayList<>();

    Pass(
        ScheduledTask task,
        Instant now,
        List<TaskRun> active,
        List<TaskRun> runs,
        List<ObjectEvent> events) {
      this.task = task;
      this.now = now;
      this.active = new ArrayList<>(active);
      this.existing = runs.stream().map(r -> r.getMetadata().getName()).collect(Collectors.toSet());
      this.events = events;
    }

    /** Returns false when the concurrency policy forbids the run. */
    boolean fireScheduled(Instant due) {
      String name =
          KubeNames.join(task.getMetadata().getName(), String.valueOf(due.getEpochSecond()));
      if (existing.contains(name)) {
        return true;
      }
      if (!active.isEmpty() && concurrencyPolicy(task.getSpec()) == ConcurrencyPolicy.Forbid) {
        events.add(
            ObjectEvent.normal(
                "forbidden/" + due,
                "RunSkipped",
                "run due at "
                    + due
                    + " skipped: "
                    + names(active)
                    + " still active (concurrencyPolicy Forbid)"));
        return false;
      }
      add(runFor(task, name, due), due);
      return true;
    }

    /**
     * A manual run: the user asked for it, so Forbid does not hold it back; Replace still applies.
     */
    void fireManual(String token) {
      String name = KubeNames.join(task.getMetadata().getName(), "manual", KubeNames.hash(token));
      add(runFor(task, name, now), null);
      events.add(
          ObjectEvent.normal(
              "manual/" + token,
              "ManualRun",
              "run " + name + " started by " + DroverLabels.RUN_NOW + "=" + token));
    }

    private void add(TaskRun run, Instant due) {
      if (existing.contains(run.getMetadata().getName())) {
        return; // fired before the status recorded it (the status is written after the runs)
      }
      if (concurrencyPolicy(task.getSpec()) == ConcurrencyPolicy.Replace && !active.isEmpty()) {
        events.add(
            ObjectEvent.normal(
                "replace/" + run.getMetadata().getName(),
                "RunsReplaced",
                "cancelling " + names(active) + " for " + run.getMetadata().getName()));
        cancel.addAll(active);
        active.clear();
      }
      create.add(new ScheduledRun(run, due));
      active.add(run);
    }
  }

  static TaskRun runFor(ScheduledTask task, String name, Instant due) {
    RunTemplate template = task.getSpec().runTemplate();
    Map<String, String> labels = new HashMap<>();
    Map<String, String> annotations = new HashMap<>();
    if (template.metadata() != null) {
      Optional.ofNullable(template.metadata().labels()).ifPresent(labels::putAll);
      Optional.ofNullable(template.metadata().annotations()).ifPresent(annotations::putAll);
    }
    labels.put(DroverLabels.SCHEDULED_TASK, KubeNames.labelValue(task.getMetadata().getName()));
    annotations.put(DroverLabels.SCHEDULED_TIME, due.toString());
    TaskRun run = new TaskRun();
    run.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(task.getMetadata().getNamespace())
            .withLabels(labels)
            .withAnnotations(annotations)
            .withOwnerReferences(Owners.controlledBy(task))
            .build());
    run.setSpec(template.spec());
    return run;
  }

  private static List<TaskRun> pruneHistory(ScheduledTaskSpec spec, List<TaskRun> runs) {
    List<TaskRun> delete = new ArrayList<>();
    delete.addAll(
        beyond(
            runs.stream().filter(r -> phase(r) == RunPhase.Succeeded).toList(),
            limit(spec.successfulRunsHistoryLimit())));
    delete.addAll(
        beyond(
            runs.stream()
                .filter(r -> phase(r) == RunPhase.Failed || phase(r) == RunPhase.Cancelled)
                .toList(),
            limit(spec.failedRunsHistoryLimit())));
    return delete;
  }

  private static List<TaskRun> beyond(List<TaskRun> runs, int keep) {
    List<TaskRun> newestFirst = runs.stream().sorted(byDueTime().reversed()).toList();
    return newestFirst.size() <= keep ? List.of() : newestFirst.subList(keep, newestFirst.size());
  }

  private static ScheduledTaskStatus status(
      ScheduledTask task,
      Trigger trigger,
      ScheduledTaskStatus previous,
      Instant lastScheduled,
      Instant nextDue,
      String handledThrough,
      List<TaskRun> active,
      long missed,
      String lastToken,
      List<TaskRun> runs,
      Condition ready) {
    String lastSuccessful =
        runs.stream()
            .filter(r -> phase(r) == RunPhase.Succeeded && r.getStatus().completionTime() != null)
            .map(r -> r.getStatus().completionTime())
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

  private static Comparator<TaskRun> byDueTime() {
    return Comparator.comparing((TaskRun r) -> Objects.requireNonNullElse(dueTime(r), ""))
        .thenComparing(r -> r.getMetadata().getName());
  }

  private static String dueTime(TaskRun run) {
    return run.getMetadata().getAnnotations() == null
        ? null
        : run.getMetadata().getAnnotations().get(DroverLabels.SCHEDULED_TIME);
  }

  static boolean finished(TaskRun run) {
    return phase(run) != null && phase(run).isFinished();
  }

  private static RunPhase phase(TaskRun run) {
    return run.getStatus() == null ? null : run.getStatus().phase();
  }

  private static String names(List<TaskRun> runs) {
    return String.join(", ", runs.stream().map(r -> r.getMetadata().getName()).toList());
  }

  private static List<Condition> conditions(ScheduledTaskStatus status) {
    return status == null ? null : status.conditions();
  }

  private static Instant maxOf(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static int limit(Integer value) {
    return value == null ? DEFAULT_HISTORY : value;
  }

  private static int maxKept(ScheduledTaskSpec spec) {
    return missedRunPolicy(spec) == MissedRunPolicy.CatchUp ? maxCatchUp(spec) : 1;
  }

  private static int maxCatchUp(ScheduledTaskSpec spec) {
    return spec.maxCatchUp() == null ? DEFAULT_MAX_CATCH_UP : spec.maxCatchUp();
  }

  private static MissedRunPolicy missedRunPolicy(ScheduledTaskSpec spec) {
    return spec.missedRunPolicy() == null ? MissedRunPolicy.RunOnce : spec.missedRunPolicy();
  }

  private static ConcurrencyPolicy concurrencyPolicy(ScheduledTaskSpec spec) {
    return spec.concurrencyPolicy() == null ? ConcurrencyPolicy.Allow : spec.concurrencyPolicy();
  }
}
