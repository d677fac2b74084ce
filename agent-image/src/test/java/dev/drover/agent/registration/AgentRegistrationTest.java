package dev.drover.agent.registration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.agent.AgentSettings;
import dev.drover.api.agent.Agent;
import dev.drover.api.agent.AgentStatus;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an agent publishes about itself in its Agent's status, on the CRUD mock API. */
@EnableKubernetesMockClient(crud = true)
class AgentRegistrationTest {
  KubernetesClient client;

  private static final AgentSettings SETTINGS =
      new AgentSettings(
          "node-a",
          Map.of(),
          List.of("ops"),
          2,
          4096,
          "drover-system",
          Duration.ofSeconds(30),
          Duration.ofSeconds(5),
          "node-a.example",
          "test");

  private AgentStatus statusAfterFirstHeartbeat(AgentContact contact) {
    AgentRegistration registration =
        new AgentRegistration(client, SETTINGS, contact, Clock.systemUTC(), () -> 0);
    registration.register();
    assertThat(registration.renew()).isTrue();
    return client.resources(Agent.class).withName("node-a").get().getStatus();
  }

  @Test
  void anAgentInAPodPublishesItsAddressPortAndPod() {
    AgentStatus status =
        statusAfterFirstHeartbeat(
            AgentContact.of("10.1.2.3", 8081, "drover-agent-x7k2p", "drover-system"));

    assertThat(status.getAddress()).isEqualTo("http://10.1.2.3:8081");
    assertThat(status.getPort()).isEqualTo(8081);
    assertThat(status.getPodName()).isEqualTo("drover-agent-x7k2p");
    assertThat(status.getPodNamespace()).isEqualTo("drover-system");
    assertThat(status.getRunning()).isZero();
  }

  @Test
  void anAgentWithItsPortTurnedOffAndOutsideAPodPublishesNoContact() {
    AgentStatus status = statusAfterFirstHeartbeat(AgentContact.of("node-a.example", 0, "", null));

    assertThat(status.getAddress()).isNull();
    assertThat(status.getPort()).isNull();
    assertThat(status.getPodName()).isNull();
    assertThat(status.getPodNamespace()).isNull();
    assertThat(status.getLastHeartbeatTime()).isNotNull();
  }

  @Test
  void aRenewalThatMeetsAChangedLeaseReadsItAndRenewsAtOnce() {
    AgentRegistration registration =
        new AgentRegistration(client, SETTINGS, AgentContact.NONE, Clock.systemUTC(), () -> 0);
    registration.register();
    assertThat(registration.renew()).isTrue();
    Lease changed = client.leases().inNamespace("drover-system").withName("node-a").get();
    changed.getSpec().setLeaseTransitions(1);
    client.resource(changed).update();

    assertThat(registration.renew()).isTrue();

    assertThat(client.leases().inNamespace("drover-system").withName("node-a").get().getSpec())
        .satisfies(spec -> assertThat(spec.getLeaseTransitions()).isEqualTo(1))
        .satisfies(spec -> assertThat(spec.getRenewTime()).isNotNull());
  }

  @Test
  void anIpv6AddressIsBracketedInTheUrl() {
    assertThat(AgentContact.of("fd00::1:7", 8081, null, null).address())
        .isEqualTo("http://[fd00::1:7]:8081");
    assertThat(AgentContact.of("node-a.example", 8081, null, null).address())
        .isEqualTo("http://node-a.example:8081");
  }
}
