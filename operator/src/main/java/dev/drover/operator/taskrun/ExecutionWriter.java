package dev.drover.operator.taskrun;

import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.operator.support.ApiErrors;
import dev.drover.operator.support.Cancellation;
import dev.drover.operator.support.Children;
import dev.drover.operator.support.Children.NameHolder;
import dev.drover.operator.support.ConcurrentWrites;
import dev.drover.operator.support.EventRecorder;
import dev.drover.operator.support.ExecutionOutcomes;
import dev.drover.operator.support.ObjectEvent;
import dev.drover.operator.taskrun.RunDecision.RecordedOutcome;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Carries a run's decision out against the API: creates, dispatches, cancels, outcomes, Events. */
final class ExecutionWriter {
  private static final int WRITERS = 32;

  private final KubernetesClient client;
  private final InformerEventSource<TaskExecution, TaskRun> executions;
  private final EventRecorder events;
  private final Clock clock;
  private final ConcurrentWrites writers = new ConcurrentWrites("execution-writer", WRITERS);

  ExecutionWriter(
      KubernetesClient client,
      InformerEventSource<TaskExecution, TaskRun> executions,
      EventRecorder events,
      Clock clock) {
    this.client = client;
    this.executions = executions;
    this.events = events;
    this.clock = clock;
  }

  void apply(TaskRun run, RunDecision decision) {
    ResourceID runId = ResourceID.fromResource(run);
    List<Boolean> creates = writers.each(decision.create(), e -> created(run, runId, e));
    // One look at one name already taken tells whether the leftovers of a deleted run hold them.
    for (int i = 0; i < creates.size(); i++) {
      if (!creates.get(i)) {
        reportIfHeldByAnotherRun(run, decision.create().get(i));
        break;
      }
    }
    // Updates carry the cached resourceVersion: a stale cache gets a conflict, never a double
    // dispatch.
    for (TaskExecution execution : decision.dispatch()) {
      executions.handleRecentResourceUpdate(runId, client.resource(execution).update(), execution);
    }
    decision.cancel().forEach(execution -> Cancellation.request(client, execution));
    for (RecordedOutcome outcome : decision.recordedOutcomes()) {
      ExecutionOutcomes.record(
          client,
          outcome.execution(),
          outcome.phase(),
          outcome.reason(),
          outcome.message(),
          clock.instant());
    }
  }

  /** The decision's Events; recorded after the run's status, which readers wait for first. */
  void recordEvents(TaskRun run, RunDecision decision) {
    decision.events().forEach(event -> events.record(run, event));
  }

  /** Creates the execution; false when its name is already taken. */
  private boolean created(TaskRun run, ResourceID runId, TaskExecution execution) {
    try {
      Optional<TaskExecution> created = Children.create(client, execution);
      created.ifPresent(e -> executions.handleRecentResourceCreate(runId, e));
      return created.isPresent();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403 || e.getCode() == 422) {
        // Refused (RBAC, admission, validation): say so on the run; the SDK retries with backoff.
        events.record(
            run,
            ObjectEvent.warning(
                "create-refused/" + e.getCode(),
                "CreateRefused",
                "could not create execution "
                    + execution.getMetadata().getName()
                    + ": "
                    + ApiErrors.message(e)));
      }
      throw e;
    }
  }

  /**
   * A name already taken is usually this run's own execution, created by an earlier pass; when it
   * belongs to a deleted run of the same name, the garbage collector has yet to remove it.
   */
  private void reportIfHeldByAnotherRun(TaskRun run, TaskExecution execution) {
    if (Children.holderOfName(client, run, execution) == NameHolder.ANOTHER) {
      events.record(
          run,
          ObjectEvent.warning(
              "name-taken",
              "NameTaken",
              "execution "
                  + execution.getMetadata().getName()
                  + " still belongs to an earlier run of this name; waiting for the garbage"
                  + " collector to remove it"));
    }
  }
}
