package dev.drover.console.runs;

import dev.drover.api.DroverLabels;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.console.cluster.ClusterCache;
import dev.drover.console.cluster.Phases;
import dev.drover.console.query.ObjectFilter;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The runs list's own filters, beside those of every list: {@code phase}, {@code schedule} (the
 * ScheduledTask that started it) and {@code flow} (the TaskFlow it belongs to).
 */
record RunFilter(RunPhase phase, String schedule, String flow) implements Predicate<TaskRun> {
  static RunFilter of(Map<String, String> query) {
    return new RunFilter(
        ObjectFilter.oneOf(query, "phase", RunPhase.class),
        ObjectFilter.blankToNull(query.get("schedule")),
        ObjectFilter.blankToNull(query.get("flow")));
  }

  @Override
  public boolean test(TaskRun run) {
    Map<String, String> labels = ClusterCache.labels(run);
    return (phase == null || phase == Phases.of(run))
        && (schedule == null || schedule.equals(labels.get(DroverLabels.SCHEDULED_TASK)))
        && (flow == null || flow.equals(labels.get(DroverLabels.FLOW)));
  }

  static String message(TaskRun run) {
    return run.getStatus() == null ? null : run.getStatus().message();
  }
}
