package dev.drover.operator.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drover.operator.DroverOperator;
import dev.drover.runtime.Health;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probes' judgement of a real operator, as the SDK reports it, on the CRUD mock API. */
@EnableKubernetesMockClient(crud = true)
class RunningOperatorHealthTest {
  KubernetesClient client;
  KubernetesMockServer server;
  private DroverOperator operator;
  private OperatorHealth health;

  @BeforeEach
  void createOperator() {
    operator =
        new DroverOperator(
            client,
            Set.of(),
            "drover-system",
            Clock.systemUTC(),
            new SimpleMeterRegistry(),
            null,
            2);
    health =
        new OperatorHealth(
            Controllers.of(operator.runtimeInfo()),
            new ApiServerReachability(client, Clock.systemUTC()),
            Clock.systemUTC(),
            Duration.ofMinutes(2));
  }

  @AfterEach
  void stopOperator() {
    operator.close();
  }

  @Test
  void readyOnceStartedAndNotReadyWithinTenSecondsOfTheApiServerGoingAway() {
    assertThat(health.readiness().problems())
        .containsExactly("the operator has not started (its informers are not synced yet)");

    operator.start();
    assertThat(health.readiness()).isEqualTo(Health.ok());

    server.destroy();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(health.readiness().problems())
                    .anySatisfy(p -> assertThat(p).startsWith("the API server ")));
    assertThat(health.liveness()).isEqualTo(Health.ok());
  }

  @Test
  void notAliveOnceStopped() {
    operator.start();
    assertThat(health.liveness()).isEqualTo(Health.ok());

    operator.close();

    assertThat(health.liveness().problems()).containsExactly("the operator has stopped");
  }
}
