package dev.drover.operator.agent;

import dev.drover.api.execution.TaskExecution;
import java.util.List;
import java.util.Optional;

/**
 * The unfinished executions placed on an agent, as the run controller's cache of executions knows
 * them: the liveness check reads that cache rather than keeping a second copy of every execution.
 */
@FunctionalInterface
public interface UnfinishedWork {
  /** The agent's unfinished executions; empty while the cache has not been filled yet. */
  Optional<List<TaskExecution>> on(String agent);
}
