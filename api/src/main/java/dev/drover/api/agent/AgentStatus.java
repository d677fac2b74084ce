package dev.drover.api.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * Written by two parties with merge patches that never overlap: the agent reports {@code running},
 * {@code lastHeartbeatTime} and where its output is served; the operator owns {@code conditions}
 * (readiness from the Lease).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentStatus {
  private Integer running;
  private String lastHeartbeatTime;
  private List<Condition> conditions;

  @JsonPropertyDescription(
      "Base URL of the agent's HTTP port (output of executions, probes, metrics), for callers that"
          + " reach the agent directly.")
  private String address;

  @JsonPropertyDescription("The agent's HTTP port.")
  private Integer port;

  @JsonPropertyDescription(
      "In a pod: its name, for reading output through the API server's pod proxy.")
  private String podName;

  @JsonPropertyDescription("In a pod: its namespace.")
  private String podNamespace;

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public String getPodName() {
    return podName;
  }

  public void setPodName(String podName) {
    this.podName = podName;
  }

  public String getPodNamespace() {
    return podNamespace;
  }

  public void setPodNamespace(String podNamespace) {
    this.podNamespace = podNamespace;
  }

  public Integer getRunning() {
    return running;
  }

  public void setRunning(Integer running) {
    this.running = running;
  }

  public String getLastHeartbeatTime() {
    return lastHeartbeatTime;
  }

  public void setLastHeartbeatTime(String lastHeartbeatTime) {
    this.lastHeartbeatTime = lastHeartbeatTime;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
