package dev.drover.cli.agents;

import dev.drover.api.agent.Agent;
import dev.drover.api.steer.SteeringPatches;
import dev.drover.cli.DroverCli;
import dev.drover.cli.support.Patches;

/** Cordoning: {@code spec.unschedulable} of an Agent, as kubectl cordon sets it on a Node. */
final class Cordons {
  private Cordons() {}

  static void set(DroverCli root, String agent, boolean cordon) {
    Patches.mergeCluster(root.session(), Agent.class, agent, SteeringPatches.unschedulable(cordon));
    root.terminal().out().println("agent/" + agent + (cordon ? " cordoned" : " uncordoned"));
    root.terminal().out().flush();
  }
}
