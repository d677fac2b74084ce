package dev.drover.operator.pod;

import dev.drover.api.DroverLabels;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionStatus;
import dev.drover.operator.cache.SlimStore;
import dev.drover.operator.cache.Slimming;
import dev.drover.operator.metrics.PodMetrics;
import dev.drover.operator.support.ApiErrors;
import dev.drover.operator.support.Children;
import dev.drover.operator.support.Children.NameHolder;
import dev.drover.operator.support.Owners;
import dev.drover.operator.support.Statuses;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod executor: for each released pod attempt it creates the pod and mirrors the pod's state
 * into the execution's status, which is what an agent does for its own attempts.
 */
@ControllerConfiguration(
    name = "pod-executor",
    informer = @Informer(labelSelector = DroverLabels.EXECUTOR + "=" + DroverLabels.EXECUTOR_POD))
public class PodExecutionReconciler implements Reconciler<TaskExecution> {
  private static final Logger log = LoggerFactory.getLogger(PodExecutionReconciler.class);

  /**
   * Invalid, forbidden (admission: Pod Security, quota): asking again the same way gets the same
   * answer.
   */
  private static final Set<Integer> REJECTED = Set.of(400, 403, 422);

  private static final Duration NAME_TAKEN_RETRY = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final Clock clock;
  private final PodMetrics metrics;
  private InformerEventSource<Pod, TaskExecution> pods;

  public PodExecutionReconciler(KubernetesClient client, Clock clock, PodMetrics metrics) {
    this.client = client;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, TaskExecution>> prepareEventSources(
      EventSourceContext<TaskExecution> context) {
    pods =
        new InformerEventSource<>(
            SlimStore.slimmed(
                    InformerEventSourceConfiguration.from(Pod.class, TaskExecution.class)
                        .withLabelSelector(DroverLabels.EXECUTOR + "=" + DroverLabels.EXECUTOR_POD)
                        .withSecondaryToPrimaryMapper(
                            Mappers.fromOwnerReferences(TaskExecution.class)),
                    context.getControllerConfiguration().getEffectiveNamespaces(),
                    Slimming::withoutBookkeeping)
                .build(),
            context);
    return List.of(pods);
  }

  @Override
  public UpdateControl<TaskExecution> reconcile(
      TaskExecution execution, Context<TaskExecution> context) {
    Optional<Pod> pod =
        Owners.ownedBy(execution, context.getSecondaryResources(Pod.class)).stream().findFirst();
    PodStep step = PodProgress.decide(execution, pod, clock.instant());
    if (step.create() != null) {
      step = create(execution, step);
    }
    if (step.deletePod()) {
      client
          .pods()
          .inNamespace(execution.getMetadata().getNamespace())
          .withName(execution.getMetadata().getName())
          .delete();
    }
    TaskExecutionStatus status = step.status();
    if (status != null
        && Statuses.replaceIfChanged(execution, status, context)
        && status.phase().isFinished()) {
      metrics.finished(status);
    }
    UpdateControl<TaskExecution> control = UpdateControl.noUpdate();
    return step.requeueAfter() == null ? control : control.rescheduleAfter(step.requeueAfter());
  }

  /**
   * Creates the step's pod and returns the step as it stands then: a rejection by validation or
   * admission fails the attempt; a name still held by the pod of an earlier, deleted execution of
   * the same name waits for the garbage collector to free it.
   */
  private PodStep create(TaskExecution execution, PodStep step) {
    Pod pod = step.create();
    Optional<Pod> created;
    try {
      created = Children.create(client, pod);
    } catch (KubernetesClientException e) {
      if (!REJECTED.contains(e.getCode())) {
        throw e;
      }
      String message = ApiErrors.message(e);
      log.info(
          "Pod {}/{} rejected: {}",
          pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(),
          message);
      return PodStep.report(PodProgress.rejected(message, clock.instant()));
    }
    if (created.isPresent()) {
      pods.handleRecentResourceCreate(ResourceID.fromResource(execution), created.get());
      metrics.created();
      return step;
    }
    // This execution's own pod, from an earlier pass whose status write did not land: go on.
    return Children.holderOfName(client, execution, pod) == NameHolder.OWNER
        ? step
        : new PodStep(null, false, PodProgress.nameTaken(pod), NAME_TAKEN_RETRY);
  }
}
