package dev.drover.operator.schedule;

import dev.drover.api.schedule.ScheduledTaskStatus;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.operator.support.ObjectEvent;
import java.time.Instant;
import java.util.List;

/**
 * What to do about one ScheduledTask, computed without side effects.
 *
 * @param create runs to create, each with its due time (creation is idempotent by name)
 * @param cancel active runs that a Replace stops
 * @param delete finished runs beyond the history limits
 * @param wakeAt when the next run is due (after jitter), or null
 */
record ScheduleDecision(
    List<ScheduledRun> create,
    List<TaskRun> cancel,
    List<TaskRun> delete,
    ScheduledTaskStatus status,
    List<ObjectEvent> events,
    Instant wakeAt) {

  /** A run to create and the due time it stands for (null for a manual run). */
  record ScheduledRun(TaskRun run, Instant due) {}
}
