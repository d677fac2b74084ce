package dev.drover.operator.taskrun;

import dev.drover.api.task.Task;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.api.taskrun.TaskRunStatus;
import dev.drover.operator.task.TaskResolver;
import dev.drover.operator.task.TaskResolver.Resolution;
import java.util.List;

/**
 * A run as the planner sees it: with a taskRef, its spec is the one resolved from the Task when the
 * run started and recorded in its status, so a later edit of the Task never reaches it. Only {@code
 * cancel} is still read from the run itself.
 *
 * @param resolved the resolved spec to record in status; null for runs without a taskRef
 * @param problems why the taskRef cannot be resolved
 */
record TemplateRun(TaskRun run, TaskRunSpec resolved, List<String> problems) {

  /** Finds a Task by namespace and name, or null. */
  interface Tasks {
    Task find(String namespace, String name);
  }

  static TemplateRun of(TaskRun run, Tasks tasks) {
    TaskRunSpec spec = run.getSpec();
    if (spec == null || spec.taskRef() == null) {
      return new TemplateRun(run, null, List.of());
    }
    TaskRunStatus status = run.getStatus();
    TaskRunSpec resolved = status == null ? null : status.resolvedSpec();
    boolean finished = status != null && status.phase() != null && status.phase().isFinished();
    if (resolved == null && !finished) {
      Resolution resolution =
          TaskResolver.resolve(
              spec, tasks.find(run.getMetadata().getNamespace(), spec.taskRef().name()));
      if (!resolution.problems().isEmpty()) {
        return new TemplateRun(run, null, resolution.problems());
      }
      resolved = resolution.spec();
    }
    if (resolved == null) {
      return new TemplateRun(run, null, List.of());
    }
    TaskRun effective = new TaskRun();
    effective.setMetadata(run.getMetadata());
    effective.setStatus(status);
    effective.setSpec(resolved.toBuilder().cancel(spec.cancel()).build());
    return new TemplateRun(effective, resolved, List.of());
  }

  /** The status to write: the planner's, with the resolved spec kept in it. */
  TaskRunStatus recordedIn(TaskRunStatus status) {
    return resolved == null || status == null ? status : status.withResolvedSpec(resolved);
  }
}
