package dev.drover.operator.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Agents by state (Ready, NotReady), as the operator last judged them. */
public final class AgentStateMetrics {
  private final Map<String, Boolean> ready = new ConcurrentHashMap<>();

  public AgentStateMetrics(MeterRegistry registry) {
    Gauge.builder("drover.agents", () -> count(true))
        .description("Agents by state")
        .tag("state", "Ready")
        .register(registry);
    Gauge.builder("drover.agents", () -> count(false))
        .description("Agents by state")
        .tag("state", "NotReady")
        .register(registry);
  }

  public void judged(String agent, boolean isReady) {
    ready.put(agent, isReady);
  }

  /** A deleted agent is in no state. */
  public void deleted(String agent) {
    ready.remove(agent);
  }

  private long count(boolean state) {
    return ready.values().stream().filter(v -> v == state).count();
  }
}
