package dev.drover.operator.schedule;

import dev.drover.api.DroverLabels;
import dev.drover.api.schedule.ScheduledTaskSpec;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** A ScheduledTask's runs in due-time order, and which finished ones its history limits drop. */
final class ScheduleHistory {
  static final int DEFAULT_HISTORY = 3;

  private ScheduleHistory() {}

  /** Finished runs beyond the history limits, oldest beyond each limit. */
  static List<TaskRun> beyondLimits(ScheduledTaskSpec spec, List<TaskRun> runs) {
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

  /** Unfinished runs, oldest due time first. */
  static List<TaskRun> active(List<TaskRun> runs) {
    return runs.stream().filter(r -> !finished(r)).sorted(byDueTime()).toList();
  }

  static boolean finished(TaskRun run) {
    return phase(run) != null && phase(run).isFinished();
  }

  static RunPhase phase(TaskRun run) {
    return run.getStatus() == null ? null : run.getStatus().phase();
  }

  private static List<TaskRun> beyond(List<TaskRun> runs, int keep) {
    List<TaskRun> newestFirst = runs.stream().sorted(byDueTime().reversed()).toList();
    return newestFirst.size() <= keep ? List.of() : newestFirst.subList(keep, newestFirst.size());
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

  private static int limit(Integer value) {
    return value == null ? DEFAULT_HISTORY : value;
  }
}
