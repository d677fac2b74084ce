package dev.drover.agent.registration;

import dev.drover.api.agent.AgentStatus;

/**
 * Where callers reach the agent's HTTP port, published in its status: directly at {@code address},
 * or, for an agent in a pod, through the API server's proxy to that pod.
 *
 * @param address base URL, or null when the port is off
 */
public record AgentContact(String address, Integer port, String podName, String podNamespace) {
  public static final AgentContact NONE = new AgentContact(null, null, null, null);

  /** The contact of an agent serving on {@code port} (0: off) of {@code host}, in a pod or not. */
  public static AgentContact of(String host, int port, String podName, String podNamespace) {
    // An IPv6 address (a pod IP in an IPv6 cluster) goes in brackets in a URL.
    String urlHost = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return new AgentContact(
        port == 0 ? null : "http://" + urlHost + ":" + port,
        port == 0 ? null : port,
        blankToNull(podName),
        blankToNull(podNamespace));
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }

  void writeTo(AgentStatus status) {
    status.setAddress(address);
    status.setPort(port);
    status.setPodName(podName);
    status.setPodNamespace(podNamespace);
  }
}
