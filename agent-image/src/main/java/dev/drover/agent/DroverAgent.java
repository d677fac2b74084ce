package dev.drover.agent;

import dev.drover.agent.execution.ExecutionSupervisor;
import dev.drover.agent.registration.AgentRegistration;
import dev.drover.api.DroverLabels;
import dev.drover.api.execution.TaskExecution;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent: registers itself, proves it is alive, and runs the TaskExecutions dispatched to it in
 * the namespaces it serves. Watches only executions labelled with its own name.
 */
public class DroverAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DroverAgent.class);

  private final KubernetesClient client;
  private final AgentSettings settings;
  private final ExecutionSupervisor supervisor;
  private final AgentRegistration registration;
  private final ScheduledExecutorService leaseRenewal =
      Executors.newSingleThreadScheduledExecutor();
  private final List<SharedIndexInformer<TaskExecution>> informers = new ArrayList<>();

  public DroverAgent(
      KubernetesClient client, AgentSettings settings, Clock clock, MeterRegistry registry) {
    this.client = client;
    this.settings = settings;
    this.supervisor = new ExecutionSupervisor(settings, client, clock, registry);
    this.registration = new AgentRegistration(client, settings, clock, supervisor::running);
  }

  public void start() {
    registration.register();
    registration.renew();
    long every = settings.leaseRenewInterval().toMillis();
    leaseRenewal.scheduleWithFixedDelay(registration::renew, every, every, TimeUnit.MILLISECONDS);
    for (String namespace : settings.namespaces()) {
      informers.add(
          client
              .resources(TaskExecution.class)
              .inNamespace(namespace)
              .withLabel(DroverLabels.AGENT, settings.name())
              .inform(new Handler()));
    }
    log.info(
        "Agent {} serves namespaces {} with capacity {}",
        settings.name(),
        settings.namespaces(),
        settings.capacity());
  }

  /** Stops watching and renewing; running work gets the shutdown grace period to finish. */
  @Override
  public void close() throws InterruptedException {
    informers.forEach(SharedIndexInformer::stop);
    supervisor.shutdown(settings.shutdownGrace());
    leaseRenewal.shutdownNow();
    log.info("Agent {} stopped", settings.name());
  }

  /**
   * Stops at once without reporting anything, as a killed process or a dead host would: the Lease
   * lapses and the operator has to notice.
   */
  public void halt() {
    leaseRenewal.shutdownNow();
    informers.forEach(SharedIndexInformer::stop);
    supervisor.halt();
  }

  private final class Handler implements ResourceEventHandler<TaskExecution> {
    @Override
    public void onAdd(TaskExecution execution) {
      supervisor.onObserved(execution);
    }

    @Override
    public void onUpdate(TaskExecution before, TaskExecution after) {
      supervisor.onObserved(after);
    }

    @Override
    public void onDelete(TaskExecution execution, boolean finalStateUnknown) {
      supervisor.onDeleted(execution);
    }
  }
}
