package dev.drover.agent;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one agent is and serves, as given by its flags.
 *
 * @param fenceAfter how long the Lease may go unrenewed before the agent stops its work: at most
 *     the lease duration, after which the operator retries that work elsewhere
 */
public record AgentSettings(
    String name,
    Map<String, String> labels,
    List<String> namespaces,
    int capacity,
    int outputTailBytes,
    String leaseNamespace,
    Duration leaseDuration,
    Duration fenceAfter,
    Duration shutdownGrace,
    String hostname,
    String version) {

  public AgentSettings {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("an agent needs a name (--name)");
    }
    if (namespaces == null || namespaces.isEmpty()) {
      throw new IllegalArgumentException(
          "an agent needs at least one namespace to serve (--namespaces)");
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("--capacity must be at least 1, got " + capacity);
    }
    if (fenceAfter.compareTo(leaseDuration) > 0) {
      throw new IllegalArgumentException(
          "--fence-after ("
              + fenceAfter.toSeconds()
              + "s) must not exceed --lease-duration ("
              + leaseDuration.toSeconds()
              + "s): the agent must stop its work before the operator retries it elsewhere");
    }
    if (fenceAfter.compareTo(renewIntervalOf(leaseDuration)) <= 0) {
      throw new IllegalArgumentException(
          "--fence-after ("
              + fenceAfter.toSeconds()
              + "s) must be longer than the Lease renewal interval (a third of --lease-duration, "
              + renewIntervalOf(leaseDuration).toMillis() / 1000.0
              + "s), or the agent would stop its work between two renewals");
    }
    labels = Map.copyOf(labels);
    namespaces = List.copyOf(namespaces);
  }

  /** Settings that fence at the lease duration, the default. */
  public AgentSettings(
      String name,
      Map<String, String> labels,
      List<String> namespaces,
      int capacity,
      int outputTailBytes,
      String leaseNamespace,
      Duration leaseDuration,
      Duration shutdownGrace,
      String hostname,
      String version) {
    this(
        name,
        labels,
        namespaces,
        capacity,
        outputTailBytes,
        leaseNamespace,
        leaseDuration,
        leaseDuration,
        shutdownGrace,
        hostname,
        version);
  }

  /** The same settings under another name: one of several agents a process simulates. */
  public AgentSettings named(String otherName) {
    return new AgentSettings(
        otherName,
        labels,
        namespaces,
        capacity,
        outputTailBytes,
        leaseNamespace,
        leaseDuration,
        fenceAfter,
        shutdownGrace,
        hostname,
        version);
  }

  public Duration leaseRenewInterval() {
    return renewIntervalOf(leaseDuration);
  }

  /** Renewal at a third of the duration survives two lost renewals, as kubelets do. */
  private static Duration renewIntervalOf(Duration leaseDuration) {
    return leaseDuration.dividedBy(3);
  }
}
