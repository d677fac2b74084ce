package dev.drover.agent;

import dev.drover.runtime.Health;
import dev.drover.runtime.KubeConfigs;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;

/**
 * The agents of one process: the agent itself, or with {@code --simulate} many, started together
 * and Ready together.
 */
final class AgentFleet implements AutoCloseable {
  /**
   * Simulated agents that share one Kubernetes client. A client multiplexes its requests over few
   * connections, each allowed a limited number of streams by the API server; hundreds of agents'
   * watches on one would hold up their Lease renewals, which a real agent, with a client of its
   * own, never meets.
   */
  private static final int AGENTS_PER_CLIENT = 25;

  /** Agents starting at once. */
  private static final int STARTING_AT_ONCE = 16;

  private final List<String> names;
  private final KubernetesClient processClient;
  private final Map<Integer, KubernetesClient> clients = new ConcurrentHashMap<>();
  private final List<DroverAgent> agents = new CopyOnWriteArrayList<>();

  AgentFleet(List<String> names, KubernetesClient processClient) {
    this.names = names;
    this.processClient = processClient;
  }

  /**
   * Makes and starts the agents, {@value #STARTING_AT_ONCE} at a time: each start waits for the API
   * server several times (registration, first renewal, the watch's first list), which one after
   * another would keep a large simulated fleet starting for minutes. Each agent is made just before
   * it starts, as its Lease deadline runs from then.
   */
  void start(BiFunction<KubernetesClient, String, DroverAgent> make) throws InterruptedException {
    ExecutorService starting =
        Executors.newFixedThreadPool(Math.min(names.size(), STARTING_AT_ONCE));
    try {
      for (Future<?> done :
          starting.invokeAll(
              names.stream()
                  .map(name -> Executors.callable(() -> startOne(make, name)))
                  .toList())) {
        done.get();
      }
    } catch (ExecutionException e) {
      // As the agent's own start would have thrown it.
      throw e.getCause() instanceof RuntimeException cause
          ? cause
          : new IllegalStateException(e.getCause());
    } finally {
      starting.shutdown();
    }
  }

  private void startOne(BiFunction<KubernetesClient, String, DroverAgent> make, String name) {
    DroverAgent made =
        make.apply(
            clients.computeIfAbsent(
                names.indexOf(name) / AGENTS_PER_CLIENT,
                group -> group == 0 ? processClient : newClient()),
            name);
    agents.add(made);
    made.start();
  }

  /**
   * A client whose watches are streams of its one HTTP/2 connection rather than a WebSocket each.
   * The API server closes watches that fall behind a burst of events; reconnecting a stream costs a
   * request, a WebSocket a new TLS handshake, which hundreds of agents at once turned into minutes
   * of CPU and Leases left unrenewed. (A stream counts as watching only once its first event
   * arrives, which the agent, unlike the operator's health check, never asks.)
   */
  static KubernetesClient newClient() {
    Config config = KubeConfigs.autoConfigured();
    config.setOnlyHttpWatches(true);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Ready while every agent is started and Ready. */
  Health readiness() {
    if (agents.size() < names.size()) {
      return Health.failing("the agent has not registered yet");
    }
    return agents.stream()
        .map(DroverAgent::readiness)
        .filter(health -> !health.isOk())
        .findFirst()
        .orElseGet(Health::ok);
  }

  /** Stops every agent; running work gets the shutdown grace period to finish. */
  void stop() throws InterruptedException {
    for (DroverAgent agent : agents) {
      agent.close();
    }
  }

  /** Closes the clients made for simulated agents; the process's own is its caller's. */
  @Override
  public void close() {
    clients.values().stream().filter(c -> c != processClient).forEach(KubernetesClient::close);
  }
}
