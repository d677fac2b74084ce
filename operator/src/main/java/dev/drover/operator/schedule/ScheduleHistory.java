package dev.drover.operator.schedule;

import dev.drover.api.DroverLabels;
import dev.drover.api.schedule.ScheduledTaskSpec;
import dev.drover.api.taskrun.RunPhase;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A ScheduledTask's children (TaskRuns or TaskFlows) in due-time order, and which finished ones its
 * history limits drop.
 */
final class ScheduleHistory {
  static final int DEFAULT_HISTORY = 3;

  private ScheduleHistory() {}

  /** Finished children beyond the history limits, oldest beyond each limit. */
  static List<HasMetadata> beyondLimits(ScheduledTaskSpec spec, List<HasMetadata> children) {
    List<HasMetadata> delete = new ArrayList<>();
    delete.addAll(
        beyond(
            children.stream().filter(c -> phase(c) == RunPhase.Succeeded).toList(),
            limit(spec.successfulRunsHistoryLimit())));
    delete.addAll(
        beyond(
            children.stream()
                .filter(c -> phase(c) == RunPhase.Failed || phase(c) == RunPhase.Cancelled)
                .toList(),
            limit(spec.failedRunsHistoryLimit())));
    return delete;
  }

  /** Unfinished children, oldest due time first. */
  static List<HasMetadata> active(List<HasMetadata> children) {
    return children.stream().filter(c -> !finished(c)).sorted(byDueTime()).toList();
  }

  static boolean finished(HasMetadata child) {
    return phase(child) != null && phase(child).isFinished();
  }

  static RunPhase phase(HasMetadata child) {
    return ScheduledChildren.phase(child);
  }

  private static List<HasMetadata> beyond(List<HasMetadata> children, int keep) {
    List<HasMetadata> newestFirst = children.stream().sorted(byDueTime().reversed()).toList();
    return newestFirst.size() <= keep ? List.of() : newestFirst.subList(keep, newestFirst.size());
  }

  private static Comparator<HasMetadata> byDueTime() {
    return Comparator.comparing((HasMetadata c) -> Objects.requireNonNullElse(dueTime(c), ""))
        .thenComparing(c -> c.getMetadata().getName());
  }

  private static String dueTime(HasMetadata child) {
    return child.getMetadata().getAnnotations() == null
        ? null
        : child.getMetadata().getAnnotations().get(DroverLabels.SCHEDULED_TIME);
  }

  private static int limit(Integer value) {
    return value == null ? DEFAULT_HISTORY : value;
  }
}
