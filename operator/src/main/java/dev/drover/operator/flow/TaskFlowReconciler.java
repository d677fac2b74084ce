package dev.drover.operator.flow;

import dev.drover.api.DroverLabels;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.operator.cache.SlimStore;
import dev.drover.operator.cache.Slimming;
import dev.drover.operator.support.Cancellation;
import dev.drover.operator.support.Children;
import dev.drover.operator.support.ConcurrentWrites;
import dev.drover.operator.support.EventRecorder;
import dev.drover.operator.support.KubeNames;
import dev.drover.operator.support.Owners;
import dev.drover.operator.support.Statuses;
import dev.drover.operator.taskrun.RunResults;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reconciles a TaskFlow: starts each task as a TaskRun once what it depends on has settled, and
 * mirrors the tasks into the flow's status. Annotation changes count as events, so that {@code
 * drover.dev/retry} takes effect at once.
 */
@ControllerConfiguration(name = "taskflow", generationAwareEventProcessing = false)
public class TaskFlowReconciler implements Reconciler<TaskFlow> {
  /** Results of finished runs never change; kept so that a pass does not list them again. */
  private static final int CACHED_RESULTS = 10_000;

  /** Runs and Events a pass writes at once: a wide flow starts many tasks together. */
  private static final int WRITERS = 16;

  private final KubernetesClient client;
  private final Clock clock;
  private final EventRecorder events;
  private final ConcurrentWrites writes = new ConcurrentWrites("flow-writer", WRITERS);
  private final Map<String, String> results =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
              return size() > CACHED_RESULTS;
            }
          });
  private InformerEventSource<TaskRun, TaskFlow> runs;

  public TaskFlowReconciler(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.events = new EventRecorder(client, clock);
  }

  @Override
  public List<EventSource<?, TaskFlow>> prepareEventSources(EventSourceContext<TaskFlow> context) {
    runs =
        new InformerEventSource<>(
            SlimStore.slimmed(
                    InformerEventSourceConfiguration.from(TaskRun.class, TaskFlow.class)
                        .withLabelSelector(DroverLabels.FLOW)
                        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(TaskFlow.class)),
                    context.getControllerConfiguration().getEffectiveNamespaces(),
                    Slimming::run)
                .build(),
            context);
    return List.of(runs);
  }

  @Override
  public UpdateControl<TaskFlow> reconcile(TaskFlow flow, Context<TaskFlow> context) {
    FlowDecision decision =
        FlowPlanner.decide(
            new FlowContext(
                flow,
                Owners.ownedBy(flow, context.getSecondaryResources(TaskRun.class)),
                this::resultOf,
                clock.instant()));
    ResourceID id = ResourceID.fromResource(flow);
    for (TaskRun run : decision.create()) {
      Children.create(client, run)
          .ifPresent(created -> runs.handleRecentResourceCreate(id, created));
    }
    decision.cancel().forEach(run -> Cancellation.request(client, run));
    decision.events().forEach(event -> events.record(flow, event));
    Statuses.replaceIfChanged(flow, decision.status(), context);
    UpdateControl<TaskFlow> control = UpdateControl.noUpdate();
    return decision.requeueAfter() == null
        ? control
        : control.rescheduleAfter(decision.requeueAfter());
  }

  /** A finished run's result, read from its executions once. */
  private String resultOf(TaskRun run) {
    String uid = run.getMetadata().getUid();
    String cached = results.get(uid);
    if (cached != null) {
      return cached;
    }
    List<TaskExecution> executions =
        client
            .resources(TaskExecution.class)
            .inNamespace(run.getMetadata().getNamespace())
            .withLabel(DroverLabels.RUN, KubeNames.labelValue(run.getMetadata().getName()))
            .list()
            .getItems();
    String result = RunResults.of(run, Owners.ownedBy(run, executions)).orElse("");
    results.put(uid, result);
    return result;
  }
}
