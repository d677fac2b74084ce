package dev.drover.operator.task;

import dev.drover.api.task.Task;
import dev.drover.api.task.TaskStatus;
import dev.drover.operator.support.Conditions;
import dev.drover.operator.support.EventRecorder;
import dev.drover.operator.support.ObjectEvent;
import dev.drover.operator.support.Statuses;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.util.List;

/**
 * Reports whether a Task's template is usable: its problems, and a Valid condition that {@code
 * kubectl get tasks} shows. An invalid template also gets a Warning Event, once per generation.
 */
@ControllerConfiguration(name = "task")
public class TaskReconciler implements Reconciler<Task> {
  static final String VALID = "Valid";
  static final String INVALID_TEMPLATE = "InvalidTemplate";

  private final Clock clock;
  private final EventRecorder events;

  public TaskReconciler(KubernetesClient client, Clock clock) {
    this.clock = clock;
    this.events = new EventRecorder(client, clock);
  }

  @Override
  public UpdateControl<Task> reconcile(Task task, Context<Task> context) {
    TaskStatus status = status(task, clock.instant().toString());
    if (status.problems() != null) {
      events.record(
          task,
          ObjectEvent.warning(
              "invalid-template-" + task.getMetadata().getGeneration(),
              INVALID_TEMPLATE,
              String.join("; ", status.problems())));
    }
    Statuses.replaceIfChanged(task, status, context);
    return UpdateControl.noUpdate();
  }

  /** The status a Task should have; problems are null when there are none. */
  static TaskStatus status(Task task, String now) {
    List<String> problems = TaskProblems.of(task.getSpec());
    Long generation = task.getMetadata().getGeneration();
    boolean valid = problems.isEmpty();
    return new TaskStatus(
        valid ? null : problems,
        List.of(
            Conditions.of(
                VALID,
                valid,
                valid ? VALID : INVALID_TEMPLATE,
                valid ? "the template can be used" : String.join("; ", problems),
                generation,
                now,
                task.getStatus() == null ? null : task.getStatus().conditions())),
        generation);
  }
}
