package dev.drover.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class AgentReadinessTest {
  private static final Instant RENEWED = Instant.parse("2026-11-27T10:00:00Z");
  private static final Lease LEASE =
      new LeaseBuilder()
          .withNewSpec()
          .withLeaseDurationSeconds(40)
          .withRenewTime(ZonedDateTime.ofInstant(RENEWED, ZoneOffset.UTC))
          .endSpec()
          .build();

  @Test
  void anAgentIsReadyUntilItsLeaseDurationHasPassedSinceTheLastRenewal() {
    assertThat(AgentReadiness.of(LEASE, RENEWED.plusSeconds(39)))
        .satisfies(
            r -> {
              assertThat(r.ready()).isTrue();
              assertThat(r.expiresAt()).isEqualTo(RENEWED.plusSeconds(40));
            });
    assertThat(AgentReadiness.of(LEASE, RENEWED.plusSeconds(40)))
        .satisfies(
            r -> {
              assertThat(r.ready()).isFalse();
              assertThat(r.reason()).isEqualTo("LeaseExpired");
            });
  }

  @Test
  void anAgentWithoutALeaseIsNotReady() {
    assertThat(AgentReadiness.of(null, RENEWED).reason()).isEqualTo("NoLease");
  }
}
