package dev.drover.operator.schedule;

import dev.drover.api.schedule.ScheduledTaskSpec;
import dev.drover.operator.taskrun.SpecProblems;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads a ScheduledTask spec into its trigger, or into the reasons it has none. */
final class Triggers {
  private Triggers() {}

  /** Either a trigger or the problems that prevent one (then trigger is null). */
  record Parsed(Trigger trigger, List<String> problems) {
    boolean valid() {
      return problems.isEmpty();
    }
  }

  /**
   * @param created the object's creation time: the default anchor of intervals
   */
  static Parsed parse(ScheduledTaskSpec spec, Instant created) {
    List<String> problems = new ArrayList<>();
    long triggers =
        Stream.of(spec.schedule(), spec.interval(), spec.at())
            .filter(t -> t != null && !t.isBlank())
            .count();
    if (triggers != 1) {
      problems.add("exactly one of schedule, interval and at is required, found " + triggers);
    }
    ZoneId zone = ZoneOffset.UTC;
    if (spec.timeZone() != null) {
      try {
        zone = ZoneId.of(spec.timeZone());
      } catch (DateTimeException e) {
        problems.add("unknown time zone '" + spec.timeZone() + "'");
      }
    }
    problems.addAll(templateProblems(spec));
    Trigger trigger = null;
    if (problems.isEmpty()) {
      try {
        trigger = build(spec, zone, created);
      } catch (IllegalArgumentException | DateTimeException e) {
        problems.add(e.getMessage());
      }
    }
    return new Parsed(problems.isEmpty() ? trigger : null, problems);
  }

  /**
   * Exactly one template. A run template is checked as a TaskRun spec; a flow template's tasks are
   * the flow controller's to check, when each flow starts.
   */
  private static List<String> templateProblems(ScheduledTaskSpec spec) {
    if (spec.runTemplate() != null && spec.flowTemplate() != null) {
      return List.of("exactly one of runTemplate and flowTemplate is required, found both");
    }
    if (spec.flowTemplate() != null) {
      return spec.flowTemplate().spec() == null
          ? List.of("flowTemplate.spec is required")
          : List.of();
    }
    if (spec.runTemplate() == null) {
      return List.of("exactly one of runTemplate and flowTemplate is required, found neither");
    }
    if (spec.runTemplate().spec() == null) {
      return List.of("runTemplate.spec is required");
    }
    if (spec.runTemplate().spec().taskRef() != null) {
      return List.of(); // a run that names a Task is checked once it is resolved, when it starts
    }
    return SpecProblems.of(spec.runTemplate().spec()).stream()
        .map(p -> "runTemplate.spec: " + p)
        .toList();
  }

  private static Trigger build(ScheduledTaskSpec spec, ZoneId zone, Instant created) {
    if (spec.schedule() != null && !spec.schedule().isBlank()) {
      return CronTrigger.parse(spec.schedule(), zone);
    }
    if (spec.interval() != null && !spec.interval().isBlank()) {
      Instant anchor =
          spec.startTime() == null ? created : OffsetDateTime.parse(spec.startTime()).toInstant();
      return IntervalTrigger.parse(spec.interval(), anchor);
    }
    Instant at = OffsetDateTime.parse(spec.at()).toInstant();
    if (at.isBefore(created.minusSeconds(1))) {
      throw new IllegalArgumentException(
          "at " + spec.at() + " was already past when the ScheduledTask was created");
    }
    return new OneShotTrigger(at);
  }
}
