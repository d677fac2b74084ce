package dev.drover.operator.agent;

import dev.drover.api.Timestamps;
import dev.drover.api.agent.Agent;
import dev.drover.api.agent.AgentStatus;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.operator.cache.SlimStore;
import dev.drover.operator.cache.Slimming;
import dev.drover.operator.metrics.AgentStateMetrics;
import dev.drover.operator.support.Conditions;
import dev.drover.operator.support.EventRecorder;
import dev.drover.operator.support.ExecutionOutcomes;
import dev.drover.operator.support.ObjectEvent;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns agent readiness: an agent whose Lease lapses becomes NotReady, and its unfinished executions
 * become Lost so that their runs can retry them elsewhere. Deletes are reconciled too (without a
 * finalizer), so that a deleted agent leaves the metrics.
 */
@ControllerConfiguration(name = "agent", triggerReconcilerOnAllEvents = true)
public class AgentReconciler implements Reconciler<Agent> {
  private static final Logger log = LoggerFactory.getLogger(AgentReconciler.class);

  /** Work placed on an agent already NotReady, which no Lease change announces, is found then. */
  private static final Duration RECHECK_NOT_READY = Duration.ofMinutes(1);

  /** While the run controller's cache is still being filled at startup. */
  private static final Duration RECHECK_WORK_UNKNOWN = Duration.ofSeconds(2);

  private static final int CONFLICT_ATTEMPTS = 5;

  private final KubernetesClient client;
  private final Clock clock;
  private final String leaseNamespace;
  private final UnfinishedWork work;
  private final EventRecorder events;
  private final AgentStateMetrics metrics;

  public AgentReconciler(
      KubernetesClient client,
      Clock clock,
      String leaseNamespace,
      UnfinishedWork work,
      AgentStateMetrics metrics) {
    this.client = client;
    this.metrics = metrics;
    this.clock = clock;
    this.leaseNamespace = leaseNamespace;
    this.work = work;
    this.events = new EventRecorder(client, clock);
  }

  @Override
  public List<EventSource<?, Agent>> prepareEventSources(EventSourceContext<Agent> context) {
    var leases =
        new InformerEventSource<>(
            SlimStore.slimmed(
                    InformerEventSourceConfiguration.from(Lease.class, Agent.class)
                        .withNamespaces(leaseNamespace)
                        .withSecondaryToPrimaryMapper(
                            lease -> Set.of(new ResourceID(lease.getMetadata().getName())))
                        .withPrimaryToSecondaryMapper(
                            (Agent agent) ->
                                Set.of(
                                    new ResourceID(agent.getMetadata().getName(), leaseNamespace))),
                    Set.of(leaseNamespace),
                    Slimming::withoutBookkeeping)
                .build(),
            context);
    return List.of(leases);
  }

  @Override
  public UpdateControl<Agent> reconcile(Agent agent, Context<Agent> context) {
    if (context.isPrimaryResourceDeleted() || agent.isMarkedForDeletion()) {
      metrics.deleted(agent.getMetadata().getName());
      return UpdateControl.noUpdate();
    }
    Instant now = clock.instant();
    AgentReadiness readiness =
        AgentReadiness.of(context.getSecondaryResource(Lease.class).orElse(null), now);
    List<Condition> previous = agent.getStatus() == null ? null : agent.getStatus().getConditions();
    Condition ready =
        Conditions.of(
            "Ready",
            readiness.ready(),
            readiness.reason(),
            readiness.message(),
            agent.getMetadata().getGeneration(),
            Timestamps.format(now),
            previous);
    metrics.judged(agent.getMetadata().getName(), readiness.ready());
    boolean workKnown = readiness.ready() || markUnfinishedWorkLost(agent, readiness);
    if (previous == null || !previous.equals(List.of(ready))) {
      writeConditions(agent, ready);
      if (!readiness.ready() && Conditions.isTrue(previous, "Ready")) {
        events.record(
            agent,
            ObjectEvent.warning(
                "notready/" + ready.getLastTransitionTime(), "NotReady", readiness.message()));
      }
    }
    Duration recheck;
    if (readiness.ready()) {
      recheck = Duration.between(now, readiness.expiresAt()).plusMillis(100);
    } else {
      recheck = workKnown ? RECHECK_NOT_READY : RECHECK_WORK_UNKNOWN;
    }
    return UpdateControl.<Agent>noUpdate().rescheduleAfter(recheck);
  }

  /**
   * Only the conditions change (a JSON patch computed from the current object): the agent writes
   * the rest of the status itself, concurrently. Its heartbeat can land between the read and the
   * patch; the conflict is met by reading again, a few times, before it is an error.
   */
  private void writeConditions(Agent agent, Condition ready) {
    for (int attempt = 1; ; attempt++) {
      try {
        client
            .resources(Agent.class)
            .withName(agent.getMetadata().getName())
            .editStatus(
                current -> {
                  if (current.getStatus() == null) {
                    current.setStatus(new AgentStatus());
                  }
                  current.getStatus().setConditions(List.of(ready));
                  return current;
                });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == CONFLICT_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** Marks the agent's unfinished executions Lost; false while the run cache cannot tell them. */
  private boolean markUnfinishedWorkLost(Agent agent, AgentReadiness readiness) {
    Optional<List<TaskExecution>> unfinished = work.on(agent.getMetadata().getName());
    unfinished.ifPresent(executions -> executions.forEach(e -> markLost(e, agent, readiness)));
    return unfinished.isPresent();
  }

  private void markLost(TaskExecution execution, Agent agent, AgentReadiness readiness) {
    String message =
        "agent " + agent.getMetadata().getName() + " is not ready: " + readiness.message();
    if (ExecutionOutcomes.record(
        client, execution, ExecutionPhase.Lost, "AgentLost", message, clock.instant())) {
      log.info(
          "Execution {}/{} lost with agent {}",
          execution.getMetadata().getNamespace(),
          execution.getMetadata().getName(),
          agent.getMetadata().getName());
    }
  }
}
