package dev.drover.agent.execution;

import dev.drover.api.execution.TaskExecution;

/** Identifies one execution object across delete and re-create (uid) and for patches (ns/name). */
record ExecutionKey(String namespace, String name, String uid) {
  static ExecutionKey of(TaskExecution execution) {
    return new ExecutionKey(
        execution.getMetadata().getNamespace(),
        execution.getMetadata().getName(),
        execution.getMetadata().getUid());
  }
}
