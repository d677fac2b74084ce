package dev.drover.operator.pod;

import dev.drover.api.DroverLabels;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
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
  /** Invalid, forbidden (admission: Pod Security, quota): asking again the same way gets the same answer. */
  private static final Set<Integer> REJECTED = Set.of(400, 403, 422);

  private final KubernetesClient client;
  private final Clock clock;
  private InformerEventSource<Pod, TaskExecution> pods;

  public PodExecutionReconciler(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, TaskExecution>> prepareEventSources(EventSourceContext<TaskExecution> context) {
    pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, TaskExecution.class)
                .withLabelSelector(DroverLabels.EXECUTOR + "=" + DroverLabels.EXECUTOR_POD)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(TaskExecution.class))
                .build(),
            context);
    return List.of(pods);
  }

  @Override
  public UpdateControl<TaskExecution> reconcile(TaskExecution execution, Context<TaskExecution> context) {
    PodStep step = PodProgress.decide(execution, context.getSecondaryResource(Pod.class), clock.instant());
    if (step.create() != null) {
      Optional<String> rejection = create(execution, step.create());
      if (rejection.isPresent()) {
        step = PodStep.report(PodProgress.rejected(rejection.get(), clock.instant()));
      }
    }
    if (step.deletePod()) {
      client.pods().inNamespace(execution.getMetadata().getNamespace()).withName(execution.getMetadata().getName()).delete();
    }
    TaskExecutionStatus status = step.status();
    if (status != null && !status.equals(execution.getStatus())) {
      PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
          execution,
          context,
          current -> {
            current.setStatus(status);
            return current;
          });
    }
    UpdateControl<TaskExecution> control = UpdateControl.noUpdate();
    return step.requeueAfter() == null ? control : control.rescheduleAfter(step.requeueAfter());
  }

  /** Creates the pod; a rejection by validation or admission comes back as its message. */
  private Optional<String> create(TaskExecution execution, Pod pod) {
    try {
      pods.handleRecentResourceCreate(ResourceID.fromResource(execution), client.resource(pod).create());
    } catch (KubernetesClientException e) {
      if (REJECTED.contains(e.getCode())) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        log.info("Pod {}/{} rejected: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), message);
        return Optional.of(message);
      }
      // 409: created by an earlier pass whose status write did not land; the pod is there, go on.
      if (e.getCode() != 409) {
        throw e;
      }
    }
    return Optional.empty();
  }
}
