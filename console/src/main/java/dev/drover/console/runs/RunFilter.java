package dev.drover.console.runs;

import dev.drover.api.DroverLabels;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.console.cluster.ClusterCache;
import dev.drover.console.query.ObjectFilter;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runs list's filters: those of every list, and {@code phase}, {@code schedule} (the
 * ScheduledTask that started it) and {@code flow} (the TaskFlow it belongs to).
 */
record RunFilter(ObjectFilter common, RunPhase phase, String schedule, String flow) {
  static RunFilter of(Map<String, String> query) {
    return new RunFilter(
        ObjectFilter.of(query),
        ObjectFilter.oneOf(query, "phase", RunPhase.class),
        blankToNull(query.get("schedule")),
        blankToNull(query.get("flow")));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  List<TaskRun> select(List<TaskRun> runs, Set<String> visibleNamespaces) {
    return common
        .apply(runs, visibleNamespaces, RunFilter::message)
        .filter(run -> phase == null || phase == phaseOf(run))
        .filter(
            run ->
                schedule == null
                    || schedule.equals(ClusterCache.labels(run).get(DroverLabels.SCHEDULED_TASK)))
        .filter(run -> flow == null || flow.equals(ClusterCache.labels(run).get(DroverLabels.FLOW)))
        .toList();
  }

  static RunPhase phaseOf(TaskRun run) {
    return run.getStatus() == null || run.getStatus().phase() == null
        ? RunPhase.Pending
        : run.getStatus().phase();
  }

  static String message(TaskRun run) {
    return run.getStatus() == null ? null : run.getStatus().message();
  }
}
