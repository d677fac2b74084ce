package dev.drover.api.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Written by the agent that runs the attempt (and by the operator when that agent is lost). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskExecutionStatus(
    ExecutionPhase phase,
    String startTime,
    String completionTime,
    Integer exitCode,
    String reason,
    String message,
    Long processId,
    @JsonPropertyDescription("Executor Pod: the node the pod was bound to.") String node) {}
