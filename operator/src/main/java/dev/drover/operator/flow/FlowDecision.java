package dev.drover.operator.flow;

import dev.drover.api.flow.TaskFlowStatus;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.operator.support.ObjectEvent;
import java.time.Duration;
import java.util.List;

/**
 * What a pass over a flow does: runs to create and to cancel, Events, the status, and when to look
 * again (null: only when something changes).
 */
record FlowDecision(
    TaskFlowStatus status,
    List<TaskRun> create,
    List<TaskRun> cancel,
    List<ObjectEvent> events,
    Duration requeueAfter) {}
