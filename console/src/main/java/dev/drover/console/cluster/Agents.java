package dev.drover.console.cluster;

import dev.drover.api.agent.Agent;

/** What an Agent's status says, read the way the operator writes it. */
public final class Agents {
  private Agents() {}

  public static boolean ready(Agent agent) {
    return agent.getStatus() != null
        && agent.getStatus().getConditions() != null
        && agent.getStatus().getConditions().stream()
            .anyMatch(
                condition ->
                    "Ready".equals(condition.getType()) && "True".equals(condition.getStatus()));
  }

  public static boolean cordoned(Agent agent) {
    return agent.getSpec() != null && agent.getSpec().cordoned();
  }
}
