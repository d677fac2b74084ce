package dev.drover.api.taskrun;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** Exponential backoff between attempts of one target: backoff × factor^(attempt-1), capped. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetryPolicy(
    @Min(0) @JsonPropertyDescription("Retries after the first attempt (0 = no retry).")
        Integer limit,
    @Min(0) @JsonPropertyDescription("Wait before the first retry, in seconds (default 10).")
        Integer backoffSeconds,
    @Min(1) @JsonPropertyDescription("Multiplier of the wait per further retry (default 2).")
        Double backoffFactor,
    @Min(0) @JsonPropertyDescription("Upper bound of the wait, in seconds (default 300).")
        Integer maxBackoffSeconds) {

  public static final RetryPolicy NONE = new RetryPolicy(0, 10, 2.0, 300);

  public int limitOrDefault() {
    return limit == null ? 0 : limit;
  }

  public int backoffSecondsOrDefault() {
    return backoffSeconds == null ? 10 : backoffSeconds;
  }

  public double backoffFactorOrDefault() {
    return backoffFactor == null ? 2.0 : backoffFactor;
  }

  public int maxBackoffSecondsOrDefault() {
    return maxBackoffSeconds == null ? 300 : maxBackoffSeconds;
  }
}
