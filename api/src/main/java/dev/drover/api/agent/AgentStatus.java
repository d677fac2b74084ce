package dev.drover.api.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * Written by two parties with merge patches that never overlap: the agent reports {@code running}
 * and {@code lastHeartbeatTime}; the operator owns {@code conditions} (readiness from the Lease).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentStatus {
  private Integer running;
  private String lastHeartbeatTime;
  private List<Condition> conditions;

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
