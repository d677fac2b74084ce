package dev.drover.operator.taskrun;

import dev.drover.api.agent.Agent;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.TaskRun;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Everything a decision about one run rests on, as read from the informer caches.
 *
 * @param agentLoad unfinished dispatched executions per agent, across all runs
 */
record RunContext(
    TaskRun run, Collection<TaskExecution> executions, List<Agent> agents, Map<String, Integer> agentLoad, Instant now) {}
