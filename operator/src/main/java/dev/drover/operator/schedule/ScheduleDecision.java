package dev.drover.operator.schedule;

import dev.drover.api.schedule.ScheduledTaskStatus;
import dev.drover.operator.support.ObjectEvent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.List;

/**
 * What to do about one ScheduledTask, computed without side effects. Its children are TaskRuns or
 * TaskFlows, whichever its template makes.
 *
 * @param create children to create, each with its due time (creation is idempotent by name)
 * @param cancel active children that a Replace stops
 * @param delete finished children beyond the history limits
 * @param wakeAt when the next run is due (after jitter), or null
 */
record ScheduleDecision(
    List<Firing> create,
    List<HasMetadata> cancel,
    List<HasMetadata> delete,
    ScheduledTaskStatus status,
    List<ObjectEvent> events,
    Instant wakeAt) {

  /** A child to create and the due time it stands for (null for a manual run). */
  record Firing(HasMetadata child, Instant due) {}
}
