package dev.drover.api.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Exactly one of schedule, interval and at is set. */
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
    @Required RunTemplate runTemplate) {

  public MissedRunPolicy missedRunPolicyOrDefault() {
    return missedRunPolicy == null ? MissedRunPolicy.RunOnce : missedRunPolicy;
  }

  public ConcurrencyPolicy concurrencyPolicyOrDefault() {
    return concurrencyPolicy == null ? ConcurrencyPolicy.Allow : concurrencyPolicy;
  }

  public boolean suspended() {
    return Boolean.TRUE.equals(suspend);
  }
}
