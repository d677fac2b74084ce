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
    if (spec.runTemplate() == null || spec.runTemplate().spec() == null) {
      problems.add("runTemplate.spec is required");
    } else if (spec.runTemplate().spec().taskRef() == null) {
      // A run that names a Task is checked once it is resolved, when it starts.
      SpecProblems.of(spec.runTemplate().spec())
          .forEach(p -> problems.add("runTemplate.spec: " + p));
    }
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
