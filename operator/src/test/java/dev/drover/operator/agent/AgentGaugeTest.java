package dev.drover.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drover.api.agent.Agent;
import dev.drover.operator.DroverOperator;
import dev.drover.operator.support.Manifests;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The drover_agents gauge as the operator keeps it, on the CRUD mock API. */
@EnableKubernetesMockClient(crud = true)
class AgentGaugeTest {
  private static final String LEASE_NAMESPACE = "drover-system";
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  KubernetesClient client;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private DroverOperator operator;

  @BeforeEach
  void startOperator() {
    operator =
        new DroverOperator(client, Set.of(), LEASE_NAMESPACE, Clock.systemUTC(), registry, null, 2);
    operator.start();
  }

  @AfterEach
  void stopOperator() {
    operator.close();
  }

  @Test
  void aDeletedAgentLeavesTheGauge() {
    register("alive");
    renewLease("alive");
    register("silent");
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              assertThat(agents("Ready")).isEqualTo(1);
              assertThat(agents("NotReady")).isEqualTo(1);
              assertThat(client.resources(Agent.class).list().getItems())
                  .allSatisfy(
                      a -> {
                        // The gauge counts an agent as soon as it is judged, a moment before its
                        // status is written: a status not there yet is one more reason to wait.
                        assertThat(a.getStatus()).isNotNull();
                        assertThat(a.getStatus().getConditions()).isNotEmpty();
                      });
            });

    client.resources(Agent.class).withName("silent").delete();
    client.resources(Agent.class).withName("alive").delete();

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              assertThat(agents("Ready")).isZero();
              assertThat(agents("NotReady")).isZero();
            });
  }

  private void register(String name) {
    Manifests.create(
        client,
        Agent.class,
        """
        apiVersion: drover.dev/v1alpha1
        kind: Agent
        metadata: {name: %s}
        spec: {capacity: 1, namespaces: [ops]}
        """
            .formatted(name));
  }

  private void renewLease(String agent) {
    client
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName(agent)
                .withNamespace(LEASE_NAMESPACE)
                .endMetadata()
                .withNewSpec()
                .withLeaseDurationSeconds(600)
                .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC))
                .endSpec()
                .build())
        .create();
  }

  private double agents(String state) {
    return registry.get("drover.agents").tag("state", state).gauge().value();
  }
}
