package dev.drover.operator.schedule;

import dev.drover.api.DroverLabels;
import dev.drover.api.schedule.ConcurrencyPolicy;
import dev.drover.api.schedule.ScheduledTask;
import dev.drover.operator.schedule.ScheduleDecision.Firing;
import dev.drover.operator.support.KubeNames;
import dev.drover.operator.support.ObjectEvent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The runs one reconcile fires, scheduled and manual, with the concurrency policy applied: what to
 * create, what to cancel, and the Events that say why. A run is a TaskRun or a TaskFlow, whichever
 * the task's template makes; the policy is the same for both.
 */
final class Firings {
  private final ScheduledTask task;
  private final Instant now;
  private final List<ObjectEvent> events;
  private final Set<String> existing;
  private final List<HasMetadata> active;
  private final List<Firing> create = new ArrayList<>();
  private final List<HasMetadata> cancel = new ArrayList<>();

  /**
   * @param active the task's unfinished children, oldest first
   * @param children all of the task's children, to recognise one fired before
   */
  Firings(
      ScheduledTask task,
      Instant now,
      List<HasMetadata> active,
      List<HasMetadata> children,
      List<ObjectEvent> events) {
    this.task = task;
    this.now = now;
    this.active = new ArrayList<>(active);
    this.existing =
        children.stream().map(r -> r.getMetadata().getName()).collect(Collectors.toSet());
    this.events = events;
  }

  List<Firing> create() {
    return create;
  }

  List<HasMetadata> cancel() {
    return cancel;
  }

  /** The unfinished runs once these firings are carried out. */
  List<HasMetadata> active() {
    return active;
  }

  /** Returns false when the concurrency policy forbids the run. */
  boolean fireScheduled(Instant due) {
    String name =
        KubeNames.join(task.getMetadata().getName(), String.valueOf(due.getEpochSecond()));
    if (existing.contains(name)) {
      return true;
    }
    if (!active.isEmpty()
        && task.getSpec().concurrencyPolicyOrDefault() == ConcurrencyPolicy.Forbid) {
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
    add(ScheduledChildren.build(task, name, due), due);
    return true;
  }

  /**
   * A manual run: the user asked for it, so Forbid does not hold it back; Replace still applies.
   */
  void fireManual(String token) {
    String name = KubeNames.join(task.getMetadata().getName(), "manual", KubeNames.hash(token));
    add(ScheduledChildren.build(task, name, now), null);
    events.add(
        ObjectEvent.normal(
            "manual/" + token,
            "ManualRun",
            "run " + name + " started by " + DroverLabels.RUN_NOW + "=" + token));
  }

  private void add(HasMetadata run, Instant due) {
    if (existing.contains(run.getMetadata().getName())) {
      return; // fired before the status recorded it (the status is written after the runs)
    }
    if (task.getSpec().concurrencyPolicyOrDefault() == ConcurrencyPolicy.Replace
        && !active.isEmpty()) {
      events.add(
          ObjectEvent.normal(
              "replace/" + run.getMetadata().getName(),
              "RunsReplaced",
              "cancelling " + names(active) + " for " + run.getMetadata().getName()));
      cancel.addAll(active);
      active.clear();
    }
    create.add(new Firing(run, due));
    active.add(run);
  }

  private static String names(List<HasMetadata> runs) {
    return String.join(", ", runs.stream().map(r -> r.getMetadata().getName()).toList());
  }
}
