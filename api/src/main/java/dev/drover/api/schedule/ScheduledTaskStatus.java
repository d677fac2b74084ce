package dev.drover.api.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScheduledTaskStatus(
    @JsonPropertyDescription("The trigger in short, for kubectl get.") String trigger,
    @JsonPropertyDescription("Due time of the most recent run created.") String lastScheduleTime,
    @JsonPropertyDescription("Next due time (before jitter).") String nextScheduleTime,
    @JsonPropertyDescription("Completion time of the most recent successful run.")
        String lastSuccessfulTime,
    @JsonPropertyDescription("Every due time up to this one was fired or counted as missed.")
        String handledThrough,
    @JsonPropertyDescription("Unfinished runs.") List<String> active,
    Integer activeCount,
    @JsonPropertyDescription("Due times that passed without a run.") Long missed,
    @JsonPropertyDescription("The last drover.dev/run-now value acted on.") String lastManualToken,
    List<Condition> conditions,
    Long observedGeneration) {}
