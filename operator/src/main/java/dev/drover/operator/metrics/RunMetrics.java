package dev.drover.operator.metrics;

import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRunStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/** Runs started and finished, counted from the status transitions the operator writes. */
public final class RunMetrics {
  private final Counter started;
  private final Map<RunPhase, Counter> finished = new EnumMap<>(RunPhase.class);

  public RunMetrics(MeterRegistry registry) {
    started =
        Counter.builder("drover.runs.started")
            .description("TaskRuns that started")
            .register(registry);
    for (RunPhase phase : RunPhase.values()) {
      if (phase.isFinished()) {
        finished.put(
            phase,
            Counter.builder("drover.runs.finished")
                .description("TaskRuns that finished, by phase")
                .tag("phase", phase.name())
                .register(registry));
      }
    }
  }

  /** Counts what changed between the status a run had and the one just written. */
  public void transition(TaskRunStatus before, TaskRunStatus after) {
    boolean wasStarted =
        before != null && before.startTime() != null && before.phase() == RunPhase.Running;
    boolean wasFinished = before != null && before.phase() != null && before.phase().isFinished();
    if (!wasStarted && !wasFinished && after.phase() == RunPhase.Running) {
      started.increment();
    }
    if (!wasFinished && after.phase() != null && after.phase().isFinished()) {
      if (!wasStarted
          && after.startTime() != null
          && after.targets() != null
          && after.targets().total() > 0) {
        started.increment(); // started and finished between two status writes
      }
      finished.get(after.phase()).increment();
    }
  }
}
