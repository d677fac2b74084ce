package dev.drover.api.flow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record FlowTaskStatus(
    String name,
    FlowTaskPhase phase,
    @JsonPropertyDescription("The TaskRun that carries the task out.") String run,
    String startTime,
    String completionTime,
    @JsonPropertyDescription("The start of the task's result, for a glance.") String result,
    @JsonPropertyDescription("True when a failure of this task was handled or allowed.")
        Boolean handled,
    String message) {}
