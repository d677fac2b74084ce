package dev.drover.api.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Exactly one of schedule, interval and at is set, and one of runTemplate and flowTemplate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScheduledTaskSpec(
    @JsonPropertyDescription(
            "Cron: 5 fields, or 6 with seconds first; @hourly, @daily, @weekly, @monthly, @yearly;"
                + " L, W and # as Quartz has them.")
        String schedule,
    @Pattern("^([0-9]+(ms|s|m|h|d))+$")
        @JsonPropertyDescription(
            "A fixed period such as 90s, 15m, 6h or 1h30m, counted from startTime.")
        String interval,
    @Pattern(
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")
        @JsonPropertyDescription("One instant (RFC 3339): a one-shot.")
        String at,
    @JsonPropertyDescription(
            "Anchor of an interval (RFC 3339); the object's creation time when unset.")
        String startTime,
    @JsonPropertyDescription(
            "IANA time zone of the cron schedule, e.g. Europe/Berlin (default UTC).")
        String timeZone,
    @Min(0)
        @JsonPropertyDescription(
            "Spread start times by a stable per-object offset of up to this many seconds.")
        Integer jitterSeconds,
    @Min(1)
        @JsonPropertyDescription(
            "A run that cannot start within this many seconds of its due time is skipped and"
                + " counted as missed.")
        Long startingDeadlineSeconds,
    @Default("RunOnce") MissedRunPolicy missedRunPolicy,
    @Min(1)
        @JsonPropertyDescription("CatchUp: most missed times fired after an outage (default 10).")
        Integer maxCatchUp,
    @Default("Allow") ConcurrencyPolicy concurrencyPolicy,
    Boolean suspend,
    @Min(0) @JsonPropertyDescription("Finished successful runs kept (default 3).")
        Integer successfulRunsHistoryLimit,
    @Min(0) @JsonPropertyDescription("Finished failed or cancelled runs kept (default 3).")
        Integer failedRunsHistoryLimit,
    @JsonPropertyDescription("The TaskRun each firing creates; set this or flowTemplate.")
        RunTemplate runTemplate,
    @JsonPropertyDescription("The TaskFlow each firing creates; set this or runTemplate.")
        FlowTemplate flowTemplate) {

  public MissedRunPolicy missedRunPolicyOrDefault() {
    return missedRunPolicy == null ? MissedRunPolicy.RunOnce : missedRunPolicy;
  }

  public ConcurrencyPolicy concurrencyPolicyOrDefault() {
    return concurrencyPolicy == null ? ConcurrencyPolicy.Allow : concurrencyPolicy;
  }

  public boolean suspended() {
    return Boolean.TRUE.equals(suspend);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .schedule(schedule)
        .interval(interval)
        .at(at)
        .startTime(startTime)
        .timeZone(timeZone)
        .jitterSeconds(jitterSeconds)
        .startingDeadlineSeconds(startingDeadlineSeconds)
        .missedRunPolicy(missedRunPolicy)
        .maxCatchUp(maxCatchUp)
        .concurrencyPolicy(concurrencyPolicy)
        .suspend(suspend)
        .successfulRunsHistoryLimit(successfulRunsHistoryLimit)
        .failedRunsHistoryLimit(failedRunsHistoryLimit)
        .runTemplate(runTemplate)
        .flowTemplate(flowTemplate);
  }

  /** Names every field it sets, so no spec is built or copied positionally. */
  public static final class Builder {
    private String schedule;
    private String interval;
    private String at;
    private String startTime;
    private String timeZone;
    private Integer jitterSeconds;
    private Long startingDeadlineSeconds;
    private MissedRunPolicy missedRunPolicy;
    private Integer maxCatchUp;
    private ConcurrencyPolicy concurrencyPolicy;
    private Boolean suspend;
    private Integer successfulRunsHistoryLimit;
    private Integer failedRunsHistoryLimit;
    private RunTemplate runTemplate;
    private FlowTemplate flowTemplate;

    private Builder() {}

    public Builder schedule(String value) {
      schedule = value;
      return this;
    }

    public Builder interval(String value) {
      interval = value;
      return this;
    }

    public Builder at(String value) {
      at = value;
      return this;
    }

    public Builder startTime(String value) {
      startTime = value;
      return this;
    }

    public Builder timeZone(String value) {
      timeZone = value;
      return this;
    }

    public Builder jitterSeconds(Integer value) {
      jitterSeconds = value;
      return this;
    }

    public Builder startingDeadlineSeconds(Long value) {
      startingDeadlineSeconds = value;
      return this;
    }

    public Builder missedRunPolicy(MissedRunPolicy value) {
      missedRunPolicy = value;
      return this;
    }

    public Builder maxCatchUp(Integer value) {
      maxCatchUp = value;
      return this;
    }

    public Builder concurrencyPolicy(ConcurrencyPolicy value) {
      concurrencyPolicy = value;
      return this;
    }

    public Builder suspend(Boolean value) {
      suspend = value;
      return this;
    }

    public Builder successfulRunsHistoryLimit(Integer value) {
      successfulRunsHistoryLimit = value;
      return this;
    }

    public Builder failedRunsHistoryLimit(Integer value) {
      failedRunsHistoryLimit = value;
      return this;
    }

    public Builder runTemplate(RunTemplate value) {
      runTemplate = value;
      return this;
    }

    public Builder flowTemplate(FlowTemplate value) {
      flowTemplate = value;
      return this;
    }

    public ScheduledTaskSpec build() {
      return new ScheduledTaskSpec(
          schedule,
          interval,
          at,
          startTime,
          timeZone,
          jitterSeconds,
          startingDeadlineSeconds,
          missedRunPolicy,
          maxCatchUp,
          concurrencyPolicy,
          suspend,
          successfulRunsHistoryLimit,
          failedRunsHistoryLimit,
          runTemplate,
          flowTemplate);
    }
  }
}
