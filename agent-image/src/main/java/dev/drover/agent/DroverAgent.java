package dev.drover.agent;

import dev.drover.agent.execution.ExecutionSupervisor;
import dev.drover.agent.fencing.LeaseFence;
import dev.drover.agent.fencing.LeaseKeeper;
import dev.drover.agent.output.OutputSettings;
import dev.drover.agent.output.OutputStore;
import dev.drover.agent.registration.AgentContact;
import dev.drover.agent.registration.AgentRegistration;
import dev.drover.api.DroverLabels;
import dev.drover.api.execution.TaskExecution;
import dev.drover.runtime.Health;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent: registers itself, proves it is alive, and runs the TaskExecutions dispatched to it in
 * the namespaces it serves. Watches only executions labelled with its own name. Once its Lease has
 * lapsed it lets its work go until the Lease is renewed (see {@link LeaseKeeper}).
 */
public class DroverAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DroverAgent.class);

  /**
   * How long the lists behind the watch of its executions may take, longer than a write's 10 s:
   * after a watch was closed for too long, the list is read from etcd across the whole namespace.
   * Given up after 10 s, it was asked again at once by hundreds of agents while the API server
   * still worked on the first, which kept it busy until every agent's list timed out again.
   */
  private static final int WATCH_LIST_TIMEOUT_MILLIS = 120_000;

  private final KubernetesClient client;
  private final AgentSettings settings;
  private final ExecutionSupervisor supervisor;
  private final AgentRegistration registration;
  private final LeaseKeeper leaseKeeper;
  private final LeaseFence fence;
  private volatile boolean started;
  private volatile boolean closing;
  private final List<SharedIndexInformer<TaskExecution>> informers = new CopyOnWriteArrayList<>();

  /** An agent that keeps output under the default directory and publishes no address. */
  public DroverAgent(
      KubernetesClient client, AgentSettings settings, Clock clock, MeterRegistry registry) {
    this(
        client,
        settings,
        new OutputStore(OutputSettings.defaults(settings.name()), clock),
        AgentContact.NONE,
        clock,
        registry);
  }

  public DroverAgent(
      KubernetesClient client,
      AgentSettings settings,
      OutputStore outputs,
      AgentContact contact,
      Clock clock,
      MeterRegistry registry) {
    this.client = client;
    this.settings = settings;
    this.fence = new LeaseFence(settings.fenceAfter(), clock, System::nanoTime);
    this.supervisor = new ExecutionSupervisor(settings, client, outputs, clock, fence, registry);
    this.registration =
        new AgentRegistration(client, settings, contact, clock, supervisor::running);
    this.leaseKeeper =
        new LeaseKeeper(
            fence,
            registration::renew,
            supervisor::fence,
            this::resume,
            settings.leaseRenewInterval());
  }

  public void start() {
    registration.register();
    leaseKeeper.start();
    for (String namespace : settings.namespaces()) {
      informers.add(
          client
              .adapt(NamespacedKubernetesClient.class)
              .withRequestConfig(forWatchLists(client.getConfiguration().getRequestConfig()))
              .call(
                  patient ->
                      patient
                          .resources(TaskExecution.class)
                          .inNamespace(namespace)
                          .withLabel(DroverLabels.AGENT, settings.name())
                          .inform(new Handler())));
    }
    started = true;
    log.info(
        "Agent {} serves namespaces {} with capacity {}",
        settings.name(),
        settings.namespaces(),
        settings.capacity());
  }

  /** The client's request settings, with the longer wait for the lists behind a watch. */
  static RequestConfig forWatchLists(RequestConfig configured) {
    return new RequestConfigBuilder(configured)
        .withRequestTimeout(WATCH_LIST_TIMEOUT_MILLIS)
        .build();
  }

  /** Stops watching and renewing; running work gets the shutdown grace period to finish. */
  @Override
  public void close() throws InterruptedException {
    closing = true;
    informers.forEach(SharedIndexInformer::stop);
    supervisor.shutdown(settings.shutdownGrace());
    leaseKeeper.close();
    log.info("Agent {} stopped", settings.name());
  }

  /**
   * Ready while registered and its Lease renewed within the fence duration (at most the Lease's
   * own): an agent the operator may already count as gone takes no traffic and says why.
   */
  public Health readiness() {
    if (closing) {
      return Health.failing("the agent is shutting down");
    }
    if (!started) {
      return Health.failing("the agent has not registered yet");
    }
    return fence.breached().map(Health::failing).orElseGet(Health::ok);
  }

  /**
   * Stops at once without reporting anything, as a killed process or a dead host would: the Lease
   * lapses and the operator has to notice.
   */
  public void halt() {
    leaseKeeper.close();
    informers.forEach(SharedIndexInformer::stop);
    supervisor.halt();
  }

  /** The Lease is renewed again after a fence. */
  private void resume() {
    supervisor.unfence(
        informers.stream().flatMap(informer -> informer.getStore().list().stream()).toList());
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
