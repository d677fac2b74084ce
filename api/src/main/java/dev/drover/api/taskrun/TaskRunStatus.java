package dev.drover.api.taskrun;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskRunStatus(
    RunPhase phase,
    String reason,
    String message,
    String startTime,
    String completionTime,
    String duration,
    String progress,
    TargetCounts targets,
    List<TargetResult> results,
    List<Condition> conditions,
    Long observedGeneration) {}
