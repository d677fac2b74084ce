package dev.drover.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.runtime.Health;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the agent's /readyz says through its life, on the CRUD mock API. */
@EnableKubernetesMockClient(crud = true)
class AgentReadinessTest {
  KubernetesClient client;

  @Test
  void readyOnlyBetweenRegisteringWithARenewedLeaseAndShuttingDown() throws Exception {
    AgentSettings settings =
        new AgentSettings(
            "node-a",
            Map.of("role", "scanner"),
            List.of("ops"),
            2,
            4096,
            "drover-system",
            Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            "node-a.example",
            "test");
    DroverAgent agent =
        new DroverAgent(client, settings, Clock.systemUTC(), new SimpleMeterRegistry());

    Health beforeStart = agent.readiness();
    agent.start();
    Health running = agent.readiness();
    agent.close();
    Health closed = agent.readiness();

    assertThat(beforeStart.problems()).containsExactly("the agent has not registered yet");
    assertThat(running.isOk()).isTrue();
    assertThat(closed.problems()).containsExactly("the agent is shutting down");
  }
}
