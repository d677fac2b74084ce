package dev.drover.console.overview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.DroverLabels;
import dev.drover.api.schedule.ScheduledTask;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverviewFiguresTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  private static TaskRun run(
      String name, String created, String phase, String schedule, String due, String started) {
    return Serialization.unmarshal(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata:
          name: %s
          namespace: ops
          creationTimestamp: %s
          labels: {%s}
          annotations: {%s}
        spec: {command: ["true"]}
        status: {phase: %s, startTime: %s, completionTime: %s, message: "%s went %s"}
        """
            .formatted(
                name,
                created,
                schedule == null ? "" : DroverLabels.SCHEDULED_TASK + ": " + schedule,
                due == null ? "" : DroverLabels.SCHEDULED_TIME + ": \"" + due + "\"",
                phase,
                started,
                started,
                name,
                phase),
        TaskRun.class);
  }

  private static ScheduledTask schedule(String name, long missed) {
    return Serialization.unmarshal(
        """
        apiVersion: drover.dev/v1alpha1
        kind: ScheduledTask
        metadata: {name: %s, namespace: ops}
        spec: {schedule: "0 * * * *"}
        status: {missed: %d}
        """
            .formatted(name, missed),
        ScheduledTask.class);
  }

  private final List<TaskRun> runs =
      List.of(
          run("recent-ok", "2026-11-28T11:30:00Z", "Succeeded", null, null, "2026-11-28T11:30:01Z"),
          run(
              "recent-failed",
              "2026-11-28T11:40:00Z",
              "Failed",
              "hourly",
              "2026-11-28T11:40:00Z",
              "2026-11-28T11:40:02.500Z"),
          run(
              "earlier-hourly",
              "2026-11-28T10:40:00Z",
              "Succeeded",
              "hourly",
              "2026-11-28T10:40:00Z",
              "2026-11-28T10:40:00.100Z"),
          run("yesterday", "2026-11-27T13:00:00Z", "Failed", null, null, "2026-11-27T13:00:01Z"),
          run(
              "last-week",
              "2026-11-20T13:00:00Z",
              "Succeeded",
              null,
              null,
              "2026-11-20T13:00:01Z"));

  @Test
  void runsAreCountedByPhaseOverTheLastHourAndDay() {
    var figures = OverviewFigures.of(runs, null, List.of(), NOW);

    assertThat(figures.runsLastHour())
        .containsEntry(RunPhase.Succeeded, 1)
        .containsEntry(RunPhase.Failed, 1);
    assertThat(figures.runsLastDay())
        .containsEntry(RunPhase.Succeeded, 2)
        .containsEntry(RunPhase.Failed, 2);
    assertThat(figures.agents()).isNull();
  }

  @Test
  void latestFailuresComeNewestFirstWithTheirMessage() {
    assertThat(OverviewFigures.of(runs, null, List.of(), NOW).latestFailures())
        .extracting(OverviewFigures.Failure::name, OverviewFigures.Failure::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("recent-failed", "recent-failed went Failed"),
            org.assertj.core.groups.Tuple.tuple("yesterday", "yesterday went Failed"));
  }

  @Test
  void aScheduleIsTroubledWhenItMissedRunsOrItsLastRunFailed() {
    var figures =
        OverviewFigures.of(
            runs,
            null,
            List.of(schedule("hourly", 0), schedule("daily", 3), schedule("quiet", 0)),
            NOW);

    assertThat(figures.troubledSchedules())
        .extracting(
            OverviewFigures.ScheduleTrouble::name,
            OverviewFigures.ScheduleTrouble::missed,
            OverviewFigures.ScheduleTrouble::lastPhase)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("hourly", 0L, RunPhase.Failed),
            org.assertj.core.groups.Tuple.tuple("daily", 3L, null));
  }

  @Test
  void latenessIsFromTheDueTimeToTheStartOfEachSchedulesLatestRun() {
    assertThat(OverviewFigures.of(runs, null, List.of(), NOW).lateness())
        .singleElement()
        .satisfies(
            lateness -> {
              assertThat(lateness.run()).isEqualTo("recent-failed");
              assertThat(lateness.seconds()).isEqualTo(2.5);
            });
  }
}
