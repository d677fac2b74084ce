package dev.drover.operator.taskrun;

import dev.drover.api.Timestamps;
import dev.drover.api.agent.Agent;
import dev.drover.operator.support.Conditions;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Which agents may take a run's work, and which one takes the next unit. */
final class Placement {
  private final List<Agent> candidates;
  private final Map<String, Integer> load;

  /**
   * @param candidates eligible agents, see {@link #eligible}
   * @param load unfinished executions per agent name, across all runs
   */
  Placement(List<Agent> candidates, Map<String, Integer> load) {
    this.candidates = candidates;
    this.load = new HashMap<>(load);
  }

  /** Agents that match the selector, serve the namespace, are Ready and not cordoned; by name. */
  static List<Agent> eligible(List<Agent> agents, LabelSelector selector, String namespace) {
    return readyAndServing(agents, selector, namespace)
        .filter(a -> !a.getSpec().cordoned())
        .sorted(Comparator.comparing(a -> a.getMetadata().getName()))
        .toList();
  }

  private static Stream<Agent> readyAndServing(
      List<Agent> agents, LabelSelector selector, String namespace) {
    return agents.stream()
        .filter(a -> Selectors.matches(selector, a.getMetadata().getLabels()))
        .filter(a -> a.getSpec() != null && a.getSpec().serves(namespace))
        .filter(Placement::isReady);
  }

  /** Agents that {@link #eligible} would take but for their cordon; by name. */
  static List<String> cordoned(List<Agent> agents, LabelSelector selector, String namespace) {
    return readyAndServing(agents, selector, namespace)
        .filter(a -> a.getSpec().cordoned())
        .map(a -> a.getMetadata().getName())
        .sorted()
        .toList();
  }

  /** Says why {@link #eligible} found nobody, naming the first filter that removed everyone. */
  static String explainNoTargets(List<Agent> agents, LabelSelector selector, String namespace) {
    List<Agent> matching =
        agents.stream()
            .filter(a -> Selectors.matches(selector, a.getMetadata().getLabels()))
            .toList();
    if (matching.isEmpty()) {
      return "no agent matches the selector " + Selectors.describe(selector);
    }
    List<Agent> serving =
        matching.stream()
            .filter(a -> a.getSpec() != null && a.getSpec().serves(namespace))
            .toList();
    if (serving.isEmpty()) {
      return matching.size()
          + " agent(s) match the selector but none serves namespace "
          + namespace;
    }
    if (serving.stream().noneMatch(Placement::isReady)) {
      return serving.size()
          + " matching agent(s) serve namespace "
          + namespace
          + " but none is Ready";
    }
    return "every matching agent is cordoned";
  }

  /**
   * Matching agents still joining: registered within {@code window} with no Lease verdict yet, or
   * Ready for less than {@code settle}. A Broadcast started now would leave out agents that come up
   * beside them, as agents started together (a DaemonSet rolling out, a script) do.
   */
  static List<String> joining(
      List<Agent> agents,
      LabelSelector selector,
      String namespace,
      Instant now,
      Duration window,
      Duration settle) {
    return agents.stream()
        .filter(a -> Selectors.matches(selector, a.getMetadata().getLabels()))
        .filter(a -> a.getSpec() != null && a.getSpec().serves(namespace))
        .filter(a -> !a.getSpec().cordoned())
        .filter(
            a ->
                isReady(a)
                    ? now.isBefore(readySince(a).plus(settle))
                    : !judged(a) && registeredWithin(a, now, window))
        .map(a -> a.getMetadata().getName())
        .sorted()
        .toList();
  }

  private static Instant readySince(Agent agent) {
    return agent.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(c -> Timestamps.parse(c.getLastTransitionTime()))
        .filter(java.util.Objects::nonNull)
        .findFirst()
        .orElse(Instant.EPOCH);
  }

  /** Whether the operator has judged the agent's Lease at least once (lapsed, or still absent). */
  private static boolean judged(Agent agent) {
    return agent.getStatus() != null
        && agent.getStatus().getConditions() != null
        && agent.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && !"NoLease".equals(c.getReason()));
  }

  private static boolean registeredWithin(Agent agent, Instant now, Duration window) {
    Instant created = Timestamps.parse(agent.getMetadata().getCreationTimestamp());
    return created != null && now.isBefore(created.plus(window));
  }

  static boolean isReady(Agent agent) {
    return agent.getStatus() != null
        && Conditions.isTrue(agent.getStatus().getConditions(), "Ready");
  }

  /** Takes a slot on the named agent (Broadcast units are tied to their agent). */
  String take(String agentName) {
    load.merge(agentName, 1, Integer::sum);
    return agentName;
  }

  /**
   * The least loaded candidate with a free slot, preferring any other than {@code avoid} (the agent
   * of a failed attempt); empty when every candidate is full.
   */
  Optional<String> takeLeastLoaded(String avoid) {
    Comparator<Agent> order =
        Comparator.<Agent>comparingInt(a -> a.getMetadata().getName().equals(avoid) ? 1 : 0)
            .thenComparingDouble(a -> (double) loadOf(a) / a.getSpec().capacity())
            .thenComparing(a -> a.getMetadata().getName());
    return candidates.stream()
        .filter(a -> loadOf(a) < a.getSpec().capacity())
        .min(order)
        .map(a -> take(a.getMetadata().getName()));
  }

  private int loadOf(Agent agent) {
    return load.getOrDefault(agent.getMetadata().getName(), 0);
  }
}
