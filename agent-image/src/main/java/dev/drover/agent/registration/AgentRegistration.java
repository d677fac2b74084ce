package dev.drover.agent.registration;

import dev.drover.agent.AgentSettings;
import dev.drover.api.Timestamps;
import dev.drover.api.agent.Agent;
import dev.drover.api.agent.AgentSpec;
import dev.drover.api.agent.AgentStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this agent's {@code Agent} object and its Lease current. The Lease is renewed often and
 * cheaply; the Agent status is written only when the running count changes or once a minute.
 */
public class AgentRegistration {
  private static final Logger log = LoggerFactory.getLogger(AgentRegistration.class);
  private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(60);

  private final KubernetesClient client;
  private final AgentSettings settings;
  private final Clock clock;
  private final IntSupplier runningCount;
  private final AgentContact contact;
  private Integer reportedRunning;
  private Lease lease;
  private Instant lastHeartbeat = Instant.EPOCH;

  public AgentRegistration(
      KubernetesClient client,
      AgentSettings settings,
      AgentContact contact,
      Clock clock,
      IntSupplier runningCount) {
    this.client = client;
    this.settings = settings;
    this.contact = contact;
    this.clock = clock;
    this.runningCount = runningCount;
  }

  /** Creates or updates the Agent; an admin's cordon and labels set by others are kept. */
  public void register() {
    Agent existing = client.resources(Agent.class).withName(settings.name()).get();
    Agent desired = existing == null ? new Agent() : existing;
    if (existing == null) {
      desired.setMetadata(new ObjectMetaBuilder().withName(settings.name()).build());
    }
    Map<String, String> labels = new HashMap<>();
    if (desired.getMetadata().getLabels() != null) {
      labels.putAll(desired.getMetadata().getLabels());
    }
    labels.putAll(settings.labels());
    desired.getMetadata().setLabels(labels);
    Boolean cordon =
        existing == null || existing.getSpec() == null ? null : existing.getSpec().unschedulable();
    desired.setSpec(
        new AgentSpec(
            settings.capacity(),
            settings.namespaces(),
            settings.hostname(),
            settings.version(),
            settings.name(),
            settings.leaseNamespace(),
            cordon));
    if (existing == null) {
      client.resource(desired).create();
      log.info("Registered agent {} with labels {}", settings.name(), labels);
    } else {
      client.resource(desired).update();
      log.info("Updated agent {} with labels {}", settings.name(), labels);
    }
  }

  /**
   * Renews the Lease (creating it at first) and writes a heartbeat when one is due. Returns whether
   * the Lease was renewed; a heartbeat that could not be written is only logged.
   */
  public boolean renew() {
    boolean renewed = attempt("renew the lease", this::renewLease);
    if (renewed) {
      attempt("report the heartbeat", this::reportHeartbeatIfDue);
    }
    return renewed;
  }

  /** Failures are logged, never thrown: renewal runs on a schedule and must keep running. */
  private boolean attempt(String what, Runnable step) {
    try {
      step.run();
      return true;
    } catch (KubernetesClientException e) {
      log.warn("Could not {} of agent {}: {}", what, settings.name(), e.getMessage());
    } catch (RuntimeException e) {
      log.error("Could not {} of agent {}", what, settings.name(), e);
    }
    return false;
  }

  private void renewLease() {
    renewLease(true);
  }

  /**
   * Renews from the Lease as last written, as a kubelet does: one request per renewal. The Lease is
   * read again only when it is unknown or the write finds it changed or gone. A conflict is read
   * and renewed again at once: it comes from a change since the last write (often a retried request
   * of this agent's that had been applied), and waiting for the next renewal could let the Lease
   * lapse.
   */
  private void renewLease(boolean againOnConflict) {
    ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    var leases = client.leases().inNamespace(settings.leaseNamespace());
    if (lease == null) {
      lease = leases.withName(settings.name()).get();
    }
    if (lease == null) {
      lease =
          leases
              .resource(
                  new LeaseBuilder()
                      .withNewMetadata()
                      .withName(settings.name())
                      .withNamespace(settings.leaseNamespace())
                      .endMetadata()
                      .withNewSpec()
                      .withHolderIdentity(settings.name())
                      .withLeaseDurationSeconds((int) settings.leaseDuration().toSeconds())
                      .withAcquireTime(now)
                      .withRenewTime(now)
                      .endSpec()
                      .build())
              .create();
      return;
    }
    lease.getSpec().setRenewTime(now);
    lease.getSpec().setHolderIdentity(settings.name());
    lease.getSpec().setLeaseDurationSeconds((int) settings.leaseDuration().toSeconds());
    try {
      lease = leases.resource(lease).update();
    } catch (KubernetesClientException e) {
      lease = null; // changed or deleted meanwhile: read it afresh
      if (!againOnConflict || e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      renewLease(false);
    }
  }

  private void reportHeartbeatIfDue() {
    int running = runningCount.getAsInt();
    Instant now = clock.instant();
    if (reportedRunning != null
        && reportedRunning == running
        && now.isBefore(lastHeartbeat.plus(HEARTBEAT_INTERVAL))) {
      return;
    }
    AgentStatus status = new AgentStatus();
    status.setRunning(running);
    status.setLastHeartbeatTime(Timestamps.format(now));
    contact.writeTo(status);
    Agent patch = new Agent();
    patch.setMetadata(new ObjectMetaBuilder().withName(settings.name()).build());
    patch.setStatus(status);
    client.resource(patch).patchStatus();
    reportedRunning = running;
    lastHeartbeat = now;
  }
}
