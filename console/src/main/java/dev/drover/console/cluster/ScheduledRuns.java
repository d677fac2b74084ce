package dev.drover.console.cluster;

import dev.drover.api.DroverLabels;
import dev.drover.api.schedule.ScheduledTask;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.console.query.ObjectFilter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Each schedule's newest run, found in one pass over the runs however many schedules there are. */
public final class ScheduledRuns {
  private final Map<String, TaskRun> newest = new HashMap<>();

  public ScheduledRuns(List<TaskRun> runs) {
    for (TaskRun run : runs) {
      String schedule = ClusterCache.labels(run).get(DroverLabels.SCHEDULED_TASK);
      if (schedule != null) {
        newest.merge(
            run.getMetadata().getNamespace() + "/" + schedule,
            run,
            (kept, other) -> ObjectFilter.NEWEST_FIRST.compare(kept, other) <= 0 ? kept : other);
      }
    }
  }

  public Optional<TaskRun> newestOf(ScheduledTask schedule) {
    return Optional.ofNullable(
        newest.get(schedule.getMetadata().getNamespace() + "/" + schedule.getMetadata().getName()));
  }

  /** Every schedule's newest run, keyed "namespace/schedule". */
  public Map<String, TaskRun> all() {
    return newest;
  }
}
