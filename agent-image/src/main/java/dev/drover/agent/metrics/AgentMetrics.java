package dev.drover.agent.metrics;

import dev.drover.api.execution.ExecutionPhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/** What an agent reports about its work; labels are low-cardinality (outcome only). */
public final class AgentMetrics {
  private final Map<ExecutionPhase, Counter> finished = new EnumMap<>(ExecutionPhase.class);
  private final Timer duration;
  private final Timer dispatchLatency;

  public AgentMetrics(MeterRegistry registry, Supplier<Number> running, Supplier<Number> queued) {
    for (ExecutionPhase phase : ExecutionPhase.values()) {
      if (phase.isFinished()) {
        finished.put(
            phase,
            Counter.builder("drover.agent.executions.finished")
                .description("Executions this agent finished, by outcome")
                .tag("outcome", phase.name())
                .register(registry));
      }
    }
    duration =
        Timer.builder("drover.agent.execution.duration")
            .description("Run time of the commands this agent ran")
            .publishPercentileHistogram()
            .register(registry);
    dispatchLatency =
        Timer.builder("drover.agent.dispatch.latency")
            .description(
                "From an execution's creation to its command starting on this agent (queueing"
                    + " included)")
            .publishPercentileHistogram()
            .register(registry);
    Gauge.builder("drover.agent.executions.running", running)
        .description("Commands running now")
        .register(registry);
    Gauge.builder("drover.agent.executions.queued", queued)
        .description("Executions waiting for a free slot")
        .register(registry);
  }

  public void started(Duration sinceCreation) {
    if (!sinceCreation.isNegative()) {
      dispatchLatency.record(sinceCreation);
    }
  }

  public void finished(ExecutionPhase outcome, Duration ranFor) {
    Counter counter = finished.get(outcome);
    if (counter != null) {
      counter.increment();
    }
    if (ranFor != null) {
      duration.record(ranFor);
    }
  }
}
