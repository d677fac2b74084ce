package dev.drover.operator.flow;

import dev.drover.api.flow.TaskFlow;
import dev.drover.api.taskrun.TaskRun;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Everything a decision about one flow rests on.
 *
 * @param runs the TaskRuns the flow owns, of every retry
 * @param resultOf the assembled result of a finished run; "" when it has none
 */
record FlowContext(
    TaskFlow flow, List<TaskRun> runs, Function<TaskRun, String> resultOf, Instant now) {}
