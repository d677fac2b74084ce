package dev.drover.operator.schedule;

import dev.drover.api.DroverLabels;
import dev.drover.api.schedule.ConcurrencyPolicy;
import dev.drover.api.schedule.RunTemplate;
import dev.drover.api.schedule.ScheduledTask;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.operator.schedule.ScheduleDecision.ScheduledRun;
import dev.drover.operator.support.KubeNames;
import dev.drover.operator.support.ObjectEvent;
import dev.drover.operator.support.Owners;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The runs one reconcile fires, scheduled and manual, with the concurrency policy applied: what to
 * create, what to cancel, and the Events that say why.
 */
final class Firings {
  private final ScheduledTask task;
  private final Instant now;
  private final List<ObjectEvent> events;
  private final Set<String> existing;
  private final List<TaskRun> active;
  private final List<ScheduledRun> create = new ArrayList<>();
  private final List<TaskRun> cancel = new ArrayList<>();

  /**
   * @param active the task's unfinished runs, oldest first
   * @param runs all of the task's runs, to recognise one fired before
   */
  Firings(
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

  List<ScheduledRun> create() {
    return create;
  }

  List<TaskRun> cancel() {
    return cancel;
  }

  /** The unfinished runs once these firings are carried out. */
  List<TaskRun> active() {
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
    create.add(new ScheduledRun(run, due));
    active.add(run);
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

  private static String names(List<TaskRun> runs) {
    return String.join(", ", runs.stream().map(r -> r.getMetadata().getName()).toList());
  }
}
