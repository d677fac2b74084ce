package dev.drover.api.flow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.drover.api.taskrun.RunPhase;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskFlowStatus(
    RunPhase phase,
    String reason,
    String message,
    String startTime,
    String completionTime,
    @JsonPropertyDescription("Settled tasks / all tasks.") String progress,
    @JsonPropertyDescription("Tasks running now, comma-separated.") String running,
    List<FlowTaskStatus> tasks,
    @JsonPropertyDescription("How many times the flow was retried (drover.dev/retry).")
        Integer retries,
    @JsonPropertyDescription("The last drover.dev/retry value acted on.") String retryToken,
    List<Condition> conditions,
    Long observedGeneration) {}
