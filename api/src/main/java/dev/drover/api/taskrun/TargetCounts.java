package dev.drover.api.taskrun;

/** How many targets (units of work) of a run are in each phase. */
public record TargetCounts(
    int total,
    int pending,
    int queued,
    int running,
    int retrying,
    int succeeded,
    int failed,
    int cancelled) {}
