package dev.drover.api.taskrun;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.drover.api.execution.ExecutionPhase;

/** One target's outcome as shown in the run's status; the full record is its TaskExecution. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TargetResult(
    String target,
    String item,
    String agent,
    String node,
    ExecutionPhase phase,
    int attempts,
    Integer exitCode,
    @JsonPropertyDescription(
            "Why the attempt ended as it did, e.g. NonZeroExit, Timeout, OOMKilled,"
                + " DeadlineExceeded, Unschedulable.")
        String reason,
    String startTime,
    String completionTime,
    String message) {

  public TargetResult withMessage(String text) {
    return new TargetResult(
        target,
        item,
        agent,
        node,
        phase,
        attempts,
        exitCode,
        reason,
        startTime,
        completionTime,
        text);
  }
}
