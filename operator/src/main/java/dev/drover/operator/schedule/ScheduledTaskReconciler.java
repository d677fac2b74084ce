package dev.drover.operator.schedule;

import dev.drover.api.DroverLabels;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.schedule.ScheduledTask;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.operator.cache.SlimStore;
import dev.drover.operator.cache.Slimming;
import dev.drover.operator.metrics.ScheduleMetrics;
import dev.drover.operator.schedule.ScheduleDecision.Firing;
import dev.drover.operator.support.Cancellation;
import dev.drover.operator.support.Children;
import dev.drover.operator.support.Children.NameHolder;
import dev.drover.operator.support.EventRecorder;
import dev.drover.operator.support.ObjectEvent;
import dev.drover.operator.support.Owners;
import dev.drover.operator.support.Statuses;
import io.fabric8.kubernetes.api.model.HasMetadata;
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
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reconciles a ScheduledTask: creates its due runs, then asks to be woken at the next due instant
 * (a timer per object, not polling). Annotation changes count as events, so that {@code
 * drover.dev/run-now} takes effect at once. A run is a TaskRun or, with a {@code flowTemplate}, a
 * TaskFlow; both kinds are watched, so children left from before a template change still count.
 */
@ControllerConfiguration(name = "scheduledtask", generationAwareEventProcessing = false)
public class ScheduledTaskReconciler implements Reconciler<ScheduledTask> {
  private static final Duration STATUS_AFTER_RUNS = Duration.ofMillis(500);
  private static final Duration LEFTOVER_RETRY = Duration.ofSeconds(10);

  private final KubernetesClient client;
  private final Clock clock;
  private final EventRecorder events;
  private final ScheduleMetrics metrics;
  private InformerEventSource<TaskRun, ScheduledTask> runs;
  private InformerEventSource<TaskFlow, ScheduledTask> flows;

  public ScheduledTaskReconciler(KubernetesClient client, Clock clock, MeterRegistry registry) {
    this.client = client;
    this.clock = clock;
    this.events = new EventRecorder(client, clock);
    this.metrics = new ScheduleMetrics(registry);
  }

  @Override
  public List<EventSource<?, ScheduledTask>> prepareEventSources(
      EventSourceContext<ScheduledTask> context) {
    runs = owned(TaskRun.class, context);
    flows = owned(TaskFlow.class, context);
    return List.of(runs, flows);
  }

  private static <T extends HasMetadata> InformerEventSource<T, ScheduledTask> owned(
      Class<T> kind, EventSourceContext<ScheduledTask> context) {
    // Every run and flow a schedule creates carries its label: the cache holds only those.
    return new InformerEventSource<>(
        SlimStore.slimmed(
                InformerEventSourceConfiguration.from(kind, ScheduledTask.class)
                    .withLabelSelector(DroverLabels.SCHEDULED_TASK)
                    .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(ScheduledTask.class)),
                context.getControllerConfiguration().getEffectiveNamespaces(),
                Slimming::withoutBookkeeping)
            .build(),
        context);
  }

  @Override
  public UpdateControl<ScheduledTask> reconcile(
      ScheduledTask task, Context<ScheduledTask> context) {
    List<HasMetadata> children = new ArrayList<>();
    children.addAll(Owners.ownedBy(task, context.getSecondaryResources(TaskRun.class)));
    children.addAll(Owners.ownedBy(task, context.getSecondaryResources(TaskFlow.class)));
    ScheduleDecision decision = SchedulePlanner.decide(task, children, clock.instant());
    decision.cancel().forEach(active -> Cancellation.request(client, active));
    ResourceID id = ResourceID.fromResource(task);
    boolean heldByLeftovers = false;
    for (Firing scheduled : decision.create()) {
      heldByLeftovers |= !created(task, id, scheduled);
    }
    for (HasMetadata old : decision.delete()) {
      client.resource(old).delete();
    }
    decision.events().forEach(event -> events.record(task, event));
    if (heldByLeftovers) {
      events.record(
          task,
          ObjectEvent.warning(
              "name-taken",
              "NameTaken",
              "a run's name still belongs to an earlier ScheduledTask of this name; waiting for the"
                  + " garbage collector to remove it"));
      return UpdateControl.<ScheduledTask>noUpdate().rescheduleAfter(LEFTOVER_RETRY);
    }
    if (!decision.create().isEmpty() && onTime(task, decision)) {
      // Runs first, status after: at a busy instant every due run is created before any status
      // write competes with it. The next pass records them (it finds them by name). Missed due
      // times are recorded at once: a later pass could not count them again.
      return UpdateControl.<ScheduledTask>noUpdate().rescheduleAfter(STATUS_AFTER_RUNS);
    }
    long missedBefore = missed(task);
    // Counted once written: a write that fails leaves the due times to the next pass to count.
    Statuses.replaceIfChanged(task, decision.status(), context);
    metrics.missed(task.getMetadata().getNamespace(), missedBefore, decision.status().missed());
    UpdateControl<ScheduledTask> control = UpdateControl.noUpdate();
    if (decision.wakeAt() == null) {
      return control;
    }
    Duration wait = Duration.between(clock.instant(), decision.wakeAt());
    return control.rescheduleAfter(wait.isNegative() ? Duration.ZERO : wait);
  }

  private static boolean onTime(ScheduledTask task, ScheduleDecision decision) {
    return decision.status().missed() == missed(task);
  }

  private static long missed(ScheduledTask task) {
    return task.getStatus() == null || task.getStatus().missed() == null
        ? 0
        : task.getStatus().missed();
  }

  /**
   * Creation is idempotent: the name derives from the due time, so a repeat finds it there. False
   * when the name is held by a run of a deleted ScheduledTask of the same name.
   */
  private boolean created(ScheduledTask task, ResourceID owner, Firing scheduled) {
    Optional<HasMetadata> created = Children.create(client, scheduled.child());
    if (created.isEmpty()) {
      return Children.holderOfName(client, task, scheduled.child()) != NameHolder.ANOTHER;
    }
    if (created.get() instanceof TaskFlow flow) {
      flows.handleRecentResourceCreate(owner, flow);
    } else {
      runs.handleRecentResourceCreate(owner, (TaskRun) created.get());
    }
    if (scheduled.due() != null) {
      metrics.created(Duration.between(scheduled.due(), clock.instant()));
    }
    return true;
  }
}
