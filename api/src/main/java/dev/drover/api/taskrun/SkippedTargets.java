package dev.drover.api.taskrun;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Targets a run matched but left out, and why: shown so that a left-out host is no surprise. */
public record SkippedTargets(
    @JsonPropertyDescription("How many matching targets were left out.") int count,
    @JsonPropertyDescription("Why: Cordoned (the agent's spec.unschedulable is true).")
        String reason,
    @JsonPropertyDescription("The first of them by name (at most 20).") List<String> targets) {
  public static final int MAX_NAMED = 20;

  /** The agents a Broadcast left out because they are cordoned; null when there are none. */
  public static SkippedTargets cordoned(List<String> agents) {
    return agents.isEmpty()
        ? null
        : new SkippedTargets(
            agents.size(), "Cordoned", agents.subList(0, Math.min(MAX_NAMED, agents.size())));
  }

  /** One phrase for status messages, e.g. "1 matching agent skipped (cordoned: scanner-3)". */
  public String describe() {
    return count
        + (count == 1 ? " matching agent" : " matching agents")
        + " skipped (cordoned: "
        + String.join(", ", targets)
        + (count > targets.size() ? ", ..." : "")
        + ")";
  }
}
