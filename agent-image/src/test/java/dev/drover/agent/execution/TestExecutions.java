package dev.drover.agent.execution;

import dev.drover.agent.AgentSettings;
import dev.drover.agent.fencing.ManualTime;
import dev.drover.agent.output.OutputSettings;
import dev.drover.agent.output.OutputStore;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionSpec;
import dev.drover.api.execution.TaskExecutionStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Executions dispatched to agent node-a, and the settings of that agent. */
final class TestExecutions {
  private TestExecutions() {}

  /** node-a serving ops, running one execution at a time. */
  static AgentSettings oneSlot() {
    return slots(1);
  }

  /** node-a serving ops, running up to {@code capacity} executions at a time. */
  static AgentSettings slots(int capacity) {
    return new AgentSettings(
        "node-a",
        Map.of(),
        List.of("ops"),
        capacity,
        4096,
        "drover-system",
        Duration.ofSeconds(15),
        Duration.ofSeconds(5),
        "node-a.example",
        "test");
  }

  /** A supervisor on the system clock whose Lease stays fresh, writing to {@code api}. */
  static ExecutionSupervisor supervisor(
      AgentSettings settings, StatusReporter.Writer api, OutputStore outputs) {
    return new ExecutionSupervisor(
        settings,
        api,
        outputs,
        Clock.systemUTC(),
        new ManualTime().fence(Duration.ofSeconds(15)),
        new SimpleMeterRegistry());
  }

  /** A store of outputs in a fresh temporary directory, refreshing running tails every 200 ms. */
  static OutputStore outputs() {
    try {
      return new OutputStore(
          new OutputSettings(
              Files.createTempDirectory("drover-test-output-"),
              OutputSettings.MIB,
              10 * OutputSettings.MIB,
              Duration.ofMillis(200)),
          Clock.systemUTC());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static TaskExecution execution(String name, String script, TaskExecutionStatus status) {
    TaskExecution execution = new TaskExecution();
    execution.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("ops")
            .withName(name)
            .withUid("uid-" + name)
            .withCreationTimestamp("2026-01-01T00:00:00Z")
            .build());
    execution.setSpec(
        TaskExecutionSpec.builder()
            .run(name)
            .unit("single")
            .attempt(1)
            .agent("node-a")
            .script(script)
            .build());
    execution.setStatus(status);
    return execution;
  }

  /**
   * A batch of {@code items}, at indices from {@code firstIndex} on, each run by {@code script}.
   */
  static TaskExecution batch(
      String name, List<String> items, int firstIndex, String script, TaskExecutionStatus status) {
    TaskExecution batch = execution(name, script, status);
    batch.setSpec(
        batch.getSpec().toBuilder()
            .unit("batch-0")
            .items(items)
            .itemIndices(IntStream.range(firstIndex, firstIndex + items.size()).boxed().toList())
            .build());
    return batch;
  }

  static TaskExecution cancelRequested(TaskExecution execution) {
    TaskExecution copy =
        execution(
            execution.getMetadata().getName(), execution.getSpec().script(), execution.getStatus());
    copy.setSpec(execution.getSpec().cancelled());
    return copy;
  }

  static ExecutionKey key(TaskExecution execution) {
    return ExecutionKey.of(execution);
  }
}
