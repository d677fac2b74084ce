package dev.drover.api.taskrun;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.SchemaFrom;
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
    Long observedGeneration,
    @SchemaFrom(type = JsonNode.class)
        @JsonPropertyDescription(
            "With a taskRef: the spec as resolved from the Task when the run started; later edits"
                + " of the Task do not change it.")
        TaskRunSpec resolvedSpec,
    @JsonPropertyDescription(
            "The start of the run's result once it has finished: the single target's result, or a"
                + " JSON array of every target's; flows read the whole from the executions.")
        String result,
    @JsonPropertyDescription(
            "How many times a person asked to retry the run's failed targets"
                + " (annotation drover.dev/retry).")
        Integer retries,
    @JsonPropertyDescription("The last drover.dev/retry annotation value acted on.")
        String retryToken,
    SkippedTargets skipped) {

  public TaskRunStatus withResolvedSpec(TaskRunSpec spec) {
    return new TaskRunStatus(
        phase,
        reason,
        message,
        startTime,
        completionTime,
        duration,
        progress,
        targets,
        results,
        conditions,
        observedGeneration,
        spec,
        result,
        retries,
        retryToken,
        skipped);
  }

  public TaskRunStatus withResults(List<TargetResult> list) {
    return new TaskRunStatus(
        phase,
        reason,
        message,
        startTime,
        completionTime,
        duration,
        progress,
        targets,
        list,
        conditions,
        observedGeneration,
        resolvedSpec,
        result,
        retries,
        retryToken,
        skipped);
  }

  /** How many retries were granted, 0 when none. */
  public int retriesOrZero() {
    return retries == null ? 0 : retries;
  }

  /** The same status, reopened by a person's retry of the failed targets: Running from now. */
  public TaskRunStatus retried(String token, String now) {
    int retry = retriesOrZero() + 1;
    return new TaskRunStatus(
        RunPhase.Running,
        "Retrying",
        "retrying the failed targets (retry " + retry + ")",
        now,
        null,
        null,
        progress,
        targets,
        results,
        conditions,
        observedGeneration,
        resolvedSpec,
        null,
        retry,
        token,
        skipped);
  }

  /** The same status, with a retry token that was not acted on recorded as seen. */
  public TaskRunStatus withRetryTokenSeen(String token) {
    return new TaskRunStatus(
        phase,
        reason,
        message,
        startTime,
        completionTime,
        duration,
        progress,
        targets,
        results,
        conditions,
        observedGeneration,
        resolvedSpec,
        result,
        retries,
        token,
        skipped);
  }
}
