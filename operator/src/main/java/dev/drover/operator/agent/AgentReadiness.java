package dev.drover.operator.agent;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Instant;

/** Whether an agent is alive, judged from its Lease as the node controller judges kubelets. */
record AgentReadiness(boolean ready, String reason, String message, Instant expiresAt) {

  static AgentReadiness of(Lease lease, Instant now) {
    if (lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null) {
      return new AgentReadiness(false, "NoLease", "the agent has never renewed its lease", null);
    }
    Integer seconds = lease.getSpec().getLeaseDurationSeconds();
    Instant renewed = lease.getSpec().getRenewTime().toInstant();
    Instant expiresAt = renewed.plusSeconds(seconds == null ? 40 : seconds);
    if (now.isBefore(expiresAt)) {
      return new AgentReadiness(true, "LeaseRenewed", "lease renewed at " + renewed, expiresAt);
    }
    return new AgentReadiness(
        false, "LeaseExpired", "lease not renewed since " + renewed, expiresAt);
  }
}
