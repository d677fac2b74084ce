package dev.drover.console.overview;

import dev.drover.api.DroverLabels;
import dev.drover.api.agent.Agent;
import dev.drover.api.schedule.ScheduledTask;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.console.cluster.Agents;
import dev.drover.console.cluster.ClusterCache;
import dev.drover.console.cluster.Phases;
import dev.drover.console.cluster.ScheduledRuns;
import dev.drover.console.web.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The overview, computed from what the caller may see: runs by phase over the last hour and day,
 * agents Ready and NotReady, schedules that missed or failed, the latest failures, and how late
 * each schedule's last run started.
 *
 * @param agents null when the caller may not list agents
 */
public record OverviewFigures(
    Map<RunPhase, Integer> runsLastHour,
    Map<RunPhase, Integer> runsLastDay,
    AgentCounts agents,
    List<ScheduleTrouble> troubledSchedules,
    List<Failure> latestFailures,
    List<Lateness> lateness) {
  static final int LIST_LIMIT = 10;

  public record AgentCounts(int ready, int notReady, int cordoned) {}

  public record ScheduleTrouble(
      String namespace, String name, long missed, String lastRun, RunPhase lastPhase) {}

  public record Failure(String namespace, String name, String finished, String message) {}

  public record Lateness(String namespace, String schedule, String run, double seconds) {}

  public static OverviewFigures of(
      List<TaskRun> runs, List<Agent> agents, List<ScheduledTask> schedules, Instant now) {
    ScheduledRuns latest = new ScheduledRuns(runs);
    return new OverviewFigures(
        byPhase(runs, now.minus(Duration.ofHours(1))),
        byPhase(runs, now.minus(Duration.ofDays(1))),
        agents == null ? null : agentCounts(agents),
        troubled(latest, schedules),
        failures(runs),
        lateness(latest));
  }

  private static Map<RunPhase, Integer> byPhase(List<TaskRun> runs, Instant since) {
    Map<RunPhase, Integer> counts = new EnumMap<>(RunPhase.class);
    for (RunPhase phase : RunPhase.values()) {
      counts.put(phase, 0);
    }
    for (TaskRun run : runs) {
      Instant created = Times.parse(run.getMetadata().getCreationTimestamp());
      if (created != null && !created.isBefore(since)) {
        counts.merge(Phases.of(run), 1, Integer::sum);
      }
    }
    return counts;
  }

  private static AgentCounts agentCounts(List<Agent> agents) {
    int ready = (int) agents.stream().filter(Agents::ready).count();
    int cordoned = (int) agents.stream().filter(Agents::cordoned).count();
    return new AgentCounts(ready, agents.size() - ready, cordoned);
  }

  private static List<ScheduleTrouble> troubled(
      ScheduledRuns latest, List<ScheduledTask> schedules) {
    List<ScheduleTrouble> troubled = new ArrayList<>();
    for (ScheduledTask schedule : schedules) {
      long missed =
          schedule.getStatus() == null || schedule.getStatus().missed() == null
              ? 0
              : schedule.getStatus().missed();
      Optional<TaskRun> lastRun = latest.newestOf(schedule);
      boolean failed = lastRun.map(run -> Phases.of(run) == RunPhase.Failed).orElse(false);
      if (missed > 0 || failed) {
        troubled.add(
            new ScheduleTrouble(
                schedule.getMetadata().getNamespace(),
                schedule.getMetadata().getName(),
                missed,
                lastRun.map(run -> run.getMetadata().getName()).orElse(null),
                lastRun.map(Phases::of).orElse(null)));
      }
    }
    return troubled;
  }

  private static List<Failure> failures(List<TaskRun> runs) {
    return runs.stream()
        .filter(run -> Phases.of(run) == RunPhase.Failed)
        .sorted(
            Comparator.comparing(
                    (TaskRun run) ->
                        Optional.ofNullable(run.getStatus().completionTime()).orElse(""))
                .reversed())
        .limit(LIST_LIMIT)
        .map(
            run ->
                new Failure(
                    run.getMetadata().getNamespace(),
                    run.getMetadata().getName(),
                    run.getStatus().completionTime(),
                    run.getStatus().message()))
        .toList();
  }

  /** From the due time a scheduled run stands for to the moment it started, latest run of each. */
  private static List<Lateness> lateness(ScheduledRuns latest) {
    List<Lateness> lateness = new ArrayList<>();
    latest
        .all()
        .forEach(
            (schedule, run) -> {
              Instant due =
                  Times.parse(
                      run.getMetadata().getAnnotations() == null
                          ? null
                          : run.getMetadata().getAnnotations().get(DroverLabels.SCHEDULED_TIME));
              Instant started =
                  run.getStatus() == null ? null : Times.parse(run.getStatus().startTime());
              if (due != null && started != null) {
                lateness.add(
                    new Lateness(
                        run.getMetadata().getNamespace(),
                        ClusterCache.labels(run).get(DroverLabels.SCHEDULED_TASK),
                        run.getMetadata().getName(),
                        Duration.between(due, started).toMillis() / 1000.0));
              }
            });
    lateness.sort(Comparator.comparingDouble(Lateness::seconds).reversed());
    return lateness.size() > LIST_LIMIT ? lateness.subList(0, LIST_LIMIT) : lateness;
  }
}
