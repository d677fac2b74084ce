package dev.drover.api.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.drover.api.Timestamps;
import java.time.Instant;

/**
 * Written by the agent that runs the attempt (and by the operator when that agent is lost). Built
 * with {@link #of} and the {@code with...} steps, never positionally.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskExecutionStatus(
    ExecutionPhase phase,
    String startTime,
    String completionTime,
    Integer exitCode,
    String reason,
    String message,
    Long processId,
    @JsonPropertyDescription("Executor Pod: the node the pod was bound to.") String node,
    @JsonPropertyDescription(
            "What the command wrote to the file named by DROVER_RESULT (at most 16 KiB), trailing"
                + " newlines removed.")
        String result,
    @JsonPropertyDescription("A batch of items: how far its agent got, item by item.")
        BatchProgress batch) {

  /** A status with only its phase, reason and message; add the rest with the steps below. */
  public static TaskExecutionStatus of(ExecutionPhase phase, String reason, String message) {
    return new TaskExecutionStatus(
        phase, null, null, null, reason, message, null, null, null, null);
  }

  /**
   * The result recorded of what a command wrote to its result file: trailing newlines removed, as a
   * shell's command substitution removes them; nothing left is no result. The one rule for agents
   * and pods.
   */
  public static String resultOf(String written) {
    if (written == null) {
      return null;
    }
    int end = written.length();
    while (end > 0 && (written.charAt(end - 1) == '\n' || written.charAt(end - 1) == '\r')) {
      end--;
    }
    return end == 0 ? null : written.substring(0, end);
  }

  /**
   * The outcome of an attempt that ends now, keeping what the previous status knew of its start,
   * process and node. The one rule for an agent that reports, and an operator that records, an end.
   */
  public static TaskExecutionStatus ended(
      TaskExecutionStatus previous,
      ExecutionPhase phase,
      String reason,
      String message,
      Instant now) {
    TaskExecutionStatus ended = of(phase, reason, message).completedAt(now);
    if (previous == null) {
      return ended;
    }
    return ended
        .startedAt(previous.startTime())
        .withExitCode(previous.exitCode())
        .withProcessId(previous.processId())
        .onNode(previous.node())
        .withResult(previous.result())
        .withBatch(previous.batch());
  }

  public TaskExecutionStatus startedAt(String time) {
    return new TaskExecutionStatus(
        phase, time, completionTime, exitCode, reason, message, processId, node, result, batch);
  }

  public TaskExecutionStatus completedAt(String time) {
    return new TaskExecutionStatus(
        phase, startTime, time, exitCode, reason, message, processId, node, result, batch);
  }

  public TaskExecutionStatus completedAt(Instant time) {
    return completedAt(Timestamps.format(time));
  }

  public TaskExecutionStatus withExitCode(Integer code) {
    return new TaskExecutionStatus(
        phase, startTime, completionTime, code, reason, message, processId, node, result, batch);
  }

  public TaskExecutionStatus withProcessId(Long pid) {
    return new TaskExecutionStatus(
        phase, startTime, completionTime, exitCode, reason, message, pid, node, result, batch);
  }

  public TaskExecutionStatus onNode(String nodeName) {
    return new TaskExecutionStatus(
        phase,
        startTime,
        completionTime,
        exitCode,
        reason,
        message,
        processId,
        nodeName,
        result,
        batch);
  }

  public TaskExecutionStatus withResult(String value) {
    return new TaskExecutionStatus(
        phase, startTime, completionTime, exitCode, reason, message, processId, node, value, batch);
  }

  /** The same status with {@code text} as its message: a running command's output so far. */
  public TaskExecutionStatus withMessage(String text) {
    return new TaskExecutionStatus(
        phase, startTime, completionTime, exitCode, reason, text, processId, node, result, batch);
  }

  public TaskExecutionStatus withBatch(BatchProgress progress) {
    return new TaskExecutionStatus(
        phase,
        startTime,
        completionTime,
        exitCode,
        reason,
        message,
        processId,
        node,
        result,
        progress);
  }
}
