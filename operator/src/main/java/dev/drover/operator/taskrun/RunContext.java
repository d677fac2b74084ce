package dev.drover.operator.taskrun;

import dev.drover.api.agent.Agent;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.RetryPolicy;
import dev.drover.api.taskrun.TaskRun;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Everything a decision about one run rests on, as read from the informer caches.
 *
 * @param agentLoad unfinished dispatched executions per agent, across all runs
 * @param nodes the cluster's nodes (targets of executor Pod)
 * @param templateProblems why the run's taskRef could not be resolved; the run fails InvalidSpec
 */
record RunContext(
    TaskRun run,
    Collection<TaskExecution> executions,
    List<Agent> agents,
    Map<String, Integer> agentLoad,
    List<Node> nodes,
    Instant now,
    List<String> templateProblems) {

  RunContext(
      TaskRun run,
      Collection<TaskExecution> executions,
      List<Agent> agents,
      Map<String, Integer> agentLoad,
      List<Node> nodes,
      Instant now) {
    this(run, executions, agents, agentLoad, nodes, now, List.of());
  }

  /**
   * The run's retry policy with one more attempt per retry a person asked for: a target that failed
   * before a retry may run once more, and its earlier failures count as used up.
   */
  RetryPolicy retries() {
    RetryPolicy own = run.getSpec().retriesOrDefault();
    int granted = run.getStatus() == null ? 0 : run.getStatus().retriesOrZero();
    return granted == 0
        ? own
        : new RetryPolicy(
            own.limitOrDefault() + granted,
            own.backoffSeconds(),
            own.backoffFactor(),
            own.maxBackoffSeconds());
  }
}
