package dev.drover.agent;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What one agent is and serves, as given by its flags. */
public record AgentSettings(
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
    labels = Map.copyOf(labels);
    namespaces = List.copyOf(namespaces);
  }

  /** Renewal at a third of the duration survives two lost renewals, as kubelets do. */
  public Duration leaseRenewInterval() {
    return leaseDuration.dividedBy(3);
  }
}
