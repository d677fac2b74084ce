package dev.drover.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class AgentStateMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AgentStateMetrics metrics = new AgentStateMetrics(registry);

  @Test
  void eachAgentCountsOnceInTheStateItWasLastJudgedIn() {
    metrics.judged("a", true);
    metrics.judged("b", true);
    metrics.judged("b", false);

    assertThat(agents("Ready")).isEqualTo(1);
    assertThat(agents("NotReady")).isEqualTo(1);
  }

  @Test
  void aDeletedAgentCountsInNoState() {
    metrics.judged("a", true);
    metrics.judged("b", false);

    metrics.deleted("a");
    metrics.deleted("b");
    metrics.deleted("never-judged");

    assertThat(agents("Ready")).isZero();
    assertThat(agents("NotReady")).isZero();
  }

  private double agents(String state) {
    return registry.get("drover.agents").tag("state", state).gauge().value();
  }
}
