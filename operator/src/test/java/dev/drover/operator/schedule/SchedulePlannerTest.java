package dev.drover.operator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.DroverLabels;
import dev.drover.api.flow.FlowTask;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.flow.TaskFlowSpec;
import dev.drover.api.flow.TaskFlowStatus;
import dev.drover.api.schedule.ConcurrencyPolicy;
import dev.drover.api.schedule.FlowTemplate;
import dev.drover.api.schedule.MissedRunPolicy;
import dev.drover.api.schedule.RunTemplate;
import dev.drover.api.schedule.ScheduledTask;
import dev.drover.api.schedule.ScheduledTaskSpec;
import dev.drover.api.schedule.ScheduledTaskStatus;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRef;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.api.taskrun.TaskRunStatus;
import dev.drover.operator.schedule.ScheduleDecision.Firing;
import dev.drover.operator.support.ObjectEvent;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SchedulePlannerTest {
  private static final Instant CREATED = Instant.parse("2026-12-01T09:59:30Z");
  private static final Instant TEN = Instant.parse("2026-12-01T10:00:00Z");
  private static final TaskRunSpec RUN_SPEC =
      TaskRunSpec.builder()
          .selector(new LabelSelectorBuilder().addToMatchLabels("role", "db").build())
          .dispatch(Dispatch.Broadcast)
          .script("pg_dumpall")
          .build();

  private static final TaskFlowSpec FLOW_SPEC =
      new TaskFlowSpec(
          null,
          null,
          null,
          null,
          List.of(new FlowTask("dump", null, null, null, null, RUN_SPEC, null, null)),
          null);
  private static final FlowTemplate FLOW_TEMPLATE =
      new FlowTemplate(
          new RunTemplate.TemplateMetadata(Map.of("team", "dba"), Map.of("owner", "dba-oncall")),
          FLOW_SPEC);

  /** Every minute unless a test says otherwise. */
  private static ScheduledTaskSpec.Builder spec() {
    return ScheduledTaskSpec.builder().schedule("* * * * *").runTemplate(template(RUN_SPEC));
  }

  private static RunTemplate template(TaskRunSpec runSpec) {
    return new RunTemplate(new RunTemplate.TemplateMetadata(Map.of("team", "dba"), null), runSpec);
  }

  private static ScheduledTask task(
      ScheduledTaskSpec.Builder spec, String handledThrough, String token) {
    ScheduledTask task = new ScheduledTask();
    ObjectMetaBuilder meta =
        new ObjectMetaBuilder()
            .withName("backup")
            .withNamespace("ops")
            .withUid("st-1")
            .withGeneration(1L)
            .withCreationTimestamp(CREATED.toString());
    if (token != null) {
      meta.addToAnnotations(DroverLabels.RUN_NOW, token);
    }
    task.setMetadata(meta.build());
    task.setSpec(spec.build());
    if (handledThrough != null) {
      task.setStatus(
          new ScheduledTaskStatus(
              null, null, null, null, handledThrough, null, 0, 0L, null, null, 1L));
    }
    return task;
  }

  private static TaskRun run(String name, Instant due, RunPhase phase) {
    TaskRun run = new TaskRun();
    run.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("ops")
            .withAnnotations(Map.of(DroverLabels.SCHEDULED_TIME, due.toString()))
            .build());
    run.setSpec(RUN_SPEC);
    if (phase != null) {
      run.setStatus(
          new TaskRunStatus(
              phase,
              null,
              null,
              null,
              phase.isFinished() ? due.plusSeconds(5).toString() : null,
              null,
              null,
              null,
              null,
              null,
              1L,
              null,
              null,
              null,
              null,
              null));
    }
    return run;
  }

  private static TaskFlow flow(String name, Instant due, RunPhase phase) {
    TaskFlow flow = new TaskFlow();
    flow.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("ops")
            .withAnnotations(Map.of(DroverLabels.SCHEDULED_TIME, due.toString()))
            .build());
    flow.setSpec(FLOW_SPEC);
    if (phase != null) {
      flow.setStatus(
          new TaskFlowStatus(
              phase,
              null,
              null,
              due.toString(),
              phase.isFinished() ? due.plusSeconds(7).toString() : null,
              null,
              null,
              null,
              null,
              null,
              null,
              1L));
    }
    return flow;
  }

  private static List<Instant> dues(ScheduleDecision decision) {
    return decision.create().stream().map(Firing::due).toList();
  }

  private static List<String> reasons(ScheduleDecision decision) {
    return decision.events().stream().map(ObjectEvent::reason).toList();
  }

  @Nested
  class OnTime {
    @Test
    void beforeTheFirstDueTimeNothingIsCreatedAndTheTimerIsSetForIt() {
      ScheduleDecision decision =
          SchedulePlanner.decide(task(spec(), null, null), List.of(), CREATED.plusSeconds(1));

      assertThat(decision.create()).isEmpty();
      assertThat(decision.wakeAt()).isEqualTo(TEN);
      assertThat(decision.status().nextScheduleTime()).isEqualTo("2026-12-01T10:00:00Z");
      assertThat(decision.status().trigger()).isEqualTo("* * * * *");
    }

    @Test
    void atTheDueTimeARunIsCreatedWithADeterministicNameLabelsAndOwner() {
      ScheduleDecision decision =
          SchedulePlanner.decide(task(spec(), null, null), List.of(), TEN.plusMillis(3));

      assertThat(decision.create())
          .singleElement()
          .satisfies(
              s -> {
                TaskRun run = (TaskRun) s.child();
                assertThat(run.getMetadata().getName()).isEqualTo("backup-" + TEN.getEpochSecond());
                assertThat(run.getMetadata().getLabels())
                    .containsEntry(DroverLabels.SCHEDULED_TASK, "backup")
                    .containsEntry("team", "dba");
                assertThat(run.getMetadata().getAnnotations())
                    .containsEntry(DroverLabels.SCHEDULED_TIME, "2026-12-01T10:00:00Z");
                assertThat(run.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(o -> assertThat(o.getUid()).isEqualTo("st-1"));
                assertThat(run.getSpec()).isEqualTo(RUN_SPEC);
              });
      assertThat(decision.status().lastScheduleTime()).isEqualTo("2026-12-01T10:00:00Z");
      assertThat(decision.status().handledThrough()).isEqualTo("2026-12-01T10:00:00Z");
      assertThat(decision.wakeAt()).isEqualTo(TEN.plusSeconds(60));
      assertThat(decision.status().missed()).isZero();
    }

    @Test
    void aCrashBeforeTheStatusWasWrittenRecreatesTheSameNameSoNothingRunsTwice() {
      ScheduleDecision first =
          SchedulePlanner.decide(task(spec(), null, null), List.of(), TEN.plusMillis(3));
      ScheduleDecision afterCrash =
          SchedulePlanner.decide(task(spec(), null, null), List.of(), TEN.plusSeconds(2));

      assertThat(afterCrash.create())
          .extracting(s -> s.child().getMetadata().getName())
          .containsExactlyElementsOf(
              first.create().stream().map(s -> s.child().getMetadata().getName()).toList());
    }

    @Test
    void aRunCreatedBeforeItsStatusWasWrittenIsRecordedNotCreatedAgain() {
      TaskRun alreadyThere = run("backup-" + TEN.getEpochSecond(), TEN, null);

      ScheduleDecision decision =
          SchedulePlanner.decide(
              task(spec(), null, null), List.of(alreadyThere), TEN.plusSeconds(2));

      assertThat(decision.create()).isEmpty();
      assertThat(decision.status().lastScheduleTime()).isEqualTo(TEN.toString());
      assertThat(decision.status().handledThrough()).isEqualTo(TEN.toString());
      assertThat(decision.status().missed()).isZero();
      assertThat(decision.status().active()).containsExactly(alreadyThere.getMetadata().getName());
    }

    @Test
    void jitterDelaysTheStartByAStableOffsetButTheNameAndAnnotationKeepTheDueTime() {
      ScheduledTaskSpec.Builder jittered = spec().jitterSeconds(30);
      Duration offset = Jitter.offset("ops", "backup", 30);

      ScheduleDecision early =
          SchedulePlanner.decide(
              task(jittered, TEN.minusSeconds(60).toString(), null),
              List.of(),
              TEN.plus(offset).minusMillis(1));
      ScheduleDecision due =
          SchedulePlanner.decide(
              task(jittered, TEN.minusSeconds(60).toString(), null), List.of(), TEN.plus(offset));

      assertThat(early.create()).isEmpty();
      assertThat(early.wakeAt()).isEqualTo(TEN.plus(offset));
      assertThat(due.create())
          .singleElement()
          .satisfies(
              s ->
                  assertThat(s.child().getMetadata().getAnnotations())
                      .containsEntry(DroverLabels.SCHEDULED_TIME, TEN.toString()));
    }

    @Test
    void anIntervalCountsFromItsAnchor() {
      ScheduledTaskSpec.Builder every90s =
          spec().schedule(null).interval("90s").at(null).timeZone(null);

      ScheduleDecision decision =
          SchedulePlanner.decide(
              task(every90s, CREATED.toString(), null), List.of(), CREATED.plusSeconds(90));

      assertThat(dues(decision)).containsExactly(CREATED.plusSeconds(90));
      assertThat(decision.wakeAt()).isEqualTo(CREATED.plusSeconds(180));
    }

    @Test
    void aOneShotFiresOnceAndThenHasNothingMoreToDo() {
      ScheduledTaskSpec.Builder once =
          spec().schedule(null).interval(null).at("2026-12-01T10:05:00Z").timeZone(null);

      ScheduleDecision fired =
          SchedulePlanner.decide(
              task(once, null, null), List.of(), Instant.parse("2026-12-01T10:05:00.010Z"));
      ScheduleDecision after =
          SchedulePlanner.decide(
              task(once, "2026-12-01T10:05:00Z", null),
              List.of(),
              Instant.parse("2026-12-01T10:06:00Z"));

      assertThat(dues(fired)).containsExactly(Instant.parse("2026-12-01T10:05:00Z"));
      assertThat(after.create()).isEmpty();
      assertThat(after.wakeAt()).isNull();
      assertThat(after.status().conditions())
          .singleElement()
          .satisfies(c -> assertThat(c.getReason()).isEqualTo("Done"));
    }
  }

  @Nested
  class MissedRuns {
    private final String beforeOutage = TEN.toString();
    private final Instant afterThreeMissed = TEN.plusSeconds(3 * 60 + 20);

    @Test
    void runOnceFiresTheMostRecentMissedTimeOnceAndCountsTheRest() {
      ScheduleDecision decision =
          SchedulePlanner.decide(
              task(
                  spec()
                      .missedRunPolicy(MissedRunPolicy.RunOnce)
                      .startingDeadlineSeconds(60L)
                      .maxCatchUp(null),
                  beforeOutage,
                  null),
              List.of(),
              afterThreeMissed);

      assertThat(dues(decision)).containsExactly(TEN.plusSeconds(180));
      assertThat(decision.status().missed()).isEqualTo(2);
      assertThat(decision.status().handledThrough()).isEqualTo(TEN.plusSeconds(180).toString());
      assertThat(reasons(decision)).containsExactly("MissedRuns");
    }

    @Test
    void runOnceFiresNothingWhenEvenTheLatestIsPastTheStartingDeadline() {
      ScheduleDecision decision =
          SchedulePlanner.decide(
              task(
                  spec()
                      .missedRunPolicy(MissedRunPolicy.RunOnce)
                      .startingDeadlineSeconds(10L)
                      .maxCatchUp(null),
                  beforeOutage,
                  null),
              List.of(),
              afterThreeMissed);

      assertThat(decision.create()).isEmpty();
      assertThat(decision.status().missed()).isEqualTo(3);
    }

    @Test
    void skipFiresNothingUntilTheNextDueTime() {
      ScheduleDecision decision =
          SchedulePlanner.decide(
              task(
                  spec()
                      .missedRunPolicy(MissedRunPolicy.Skip)
                      .startingDeadlineSeconds(null)
                      .maxCatchUp(null),
                  beforeOutage,
                  null),
              List.of(),
              afterThreeMissed);

      assertThat(decision.create()).isEmpty();
      assertThat(decision.status().missed()).isEqualTo(3);
      assertThat(decision.wakeAt()).isEqualTo(TEN.plusSeconds(240));
    }

    @Test
    void catchUpFiresTheMostRecentMissedTimesOldestFirstUpToItsCap() {
      ScheduleDecision decision =
          SchedulePlanner.decide(
              task(
                  spec()
                      .missedRunPolicy(MissedRunPolicy.CatchUp)
                      .startingDeadlineSeconds(null)
                      .maxCatchUp(2),
                  beforeOutage,
                  null),
              List.of(),
              afterThreeMissed);

      assertThat(dues(decision)).containsExactly(TEN.plusSeconds(120), TEN.plusSeconds(180));
      assertThat(decision.status().missed()).isEqualTo(1);
    }

    @Test
    void aMonthLongOutageOfAnEverySecondScheduleIsBoundedAndNeverStuck() {
      ScheduledTaskSpec.Builder everySecond =
          spec()
              .schedule("* * * * * *")
              .interval(null)
              .at(null)
              .timeZone(null)
              .missedRunPolicy(MissedRunPolicy.RunOnce)
              .startingDeadlineSeconds(null)
              .maxCatchUp(null);
      Instant monthLater = TEN.plus(Duration.ofDays(30));

      ScheduleDecision decision =
          SchedulePlanner.decide(task(everySecond, beforeOutage, null), List.of(), monthLater);

      assertThat(dues(decision)).containsExactly(monthLater);
      assertThat(decision.status().handledThrough()).isEqualTo(monthLater.toString());
      assertThat(decision.status().missed()).isEqualTo(Backlog.MAX_BACKLOG);
      assertThat(decision.wakeAt()).isEqualTo(monthLater.plusSeconds(1));
    }

    @Test
    void aSuspendedTaskCreatesNothingAndOnResumeFollowsTheMissedRunPolicy() {
      ScheduleDecision suspended =
          SchedulePlanner.decide(
              task(spec().suspend(true), beforeOutage, null), List.of(), afterThreeMissed);
      ScheduleDecision resumed =
          SchedulePlanner.decide(
              task(spec().suspend(false), beforeOutage, null), List.of(), afterThreeMissed);

      assertThat(suspended.create()).isEmpty();
      assertThat(suspended.wakeAt()).isNull();
      assertThat(suspended.status().handledThrough()).isEqualTo(beforeOutage);
      assertThat(suspended.status().conditions())
          .singleElement()
          .satisfies(c -> assertThat(c.getReason()).isEqualTo("Suspended"));
      assertThat(dues(resumed)).containsExactly(TEN.plusSeconds(180));
    }
  }

  @Nested
  class Concurrency {
    private final TaskRun active = run("backup-active", TEN, RunPhase.Running);

    @Test
    void forbidSkipsADueTimeWhileARunIsActive() {
      ScheduleDecision decision =
          SchedulePlanner.decide(
              task(spec().concurrencyPolicy(ConcurrencyPolicy.Forbid), TEN.toString(), null),
              List.of(active),
              TEN.plusSeconds(60));

      assertThat(decision.create()).isEmpty();
      assertThat(decision.status().missed()).isEqualTo(1);
      assertThat(decision.status().active()).containsExactly("backup-active");
      assertThat(reasons(decision)).contains("RunSkipped");
    }

    @Test
    void replaceCancelsTheActiveRunAndStartsTheNewOne() {
      ScheduleDecision decision =
          SchedulePlanner.decide(
              task(spec().concurrencyPolicy(ConcurrencyPolicy.Replace), TEN.toString(), null),
              List.of(active),
              TEN.plusSeconds(60));

      assertThat(decision.cancel()).containsExactly(active);
      assertThat(dues(decision)).containsExactly(TEN.plusSeconds(60));
      assertThat(decision.status().active())
          .containsExactly("backup-" + TEN.plusSeconds(60).getEpochSecond());
    }

    @Test
    void allowStartsBesideIt() {
      ScheduleDecision decision =
          SchedulePlanner.decide(
              task(spec().concurrencyPolicy(ConcurrencyPolicy.Allow), TEN.toString(), null),
              List.of(active),
              TEN.plusSeconds(60));

      assertThat(decision.cancel()).isEmpty();
      assertThat(decision.status().activeCount()).isEqualTo(2);
    }
  }

  @Test
  void eachNewRunNowTokenFiresExactlyOneRun() {
    ScheduleDecision first =
        SchedulePlanner.decide(task(spec(), TEN.toString(), "t-1"), List.of(), TEN.plusSeconds(10));
    ScheduledTask afterFirst = task(spec(), TEN.toString(), "t-1");
    afterFirst.setStatus(first.status());
    ScheduleDecision again = SchedulePlanner.decide(afterFirst, List.of(), TEN.plusSeconds(20));

    assertThat(first.create())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.due()).isNull();
              assertThat(s.child().getMetadata().getName()).startsWith("backup-manual-");
            });
    assertThat(first.status().lastManualToken()).isEqualTo("t-1");
    assertThat(again.create()).isEmpty();
  }

  @Test
  void finishedRunsBeyondTheHistoryLimitsAreDeletedOldestFirst() {
    List<TaskRun> runs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      runs.add(run("ok-" + i, TEN.plusSeconds(60L * i), RunPhase.Succeeded));
    }
    for (int i = 0; i < 3; i++) {
      runs.add(run("bad-" + i, TEN.plusSeconds(60L * i), RunPhase.Failed));
    }
    runs.add(run("running", TEN.plusSeconds(600), RunPhase.Running));

    ScheduleDecision decision =
        SchedulePlanner.decide(
            task(
                spec().successfulRunsHistoryLimit(2).failedRunsHistoryLimit(1),
                TEN.plusSeconds(600).toString(),
                null),
            runs,
            TEN.plusSeconds(610));

    assertThat(decision.delete())
        .extracting(r -> r.getMetadata().getName())
        .containsExactlyInAnyOrder("ok-0", "ok-1", "ok-2", "bad-0", "bad-1");
    assertThat(decision.status().lastSuccessfulTime()).isEqualTo(TEN.plusSeconds(245).toString());
  }

  /** With a flowTemplate each firing creates a TaskFlow, under the same rules as a TaskRun. */
  @Nested
  class Flows {
    private ScheduledTaskSpec.Builder flowSpec() {
      return spec().runTemplate(null).flowTemplate(FLOW_TEMPLATE);
    }

    @Test
    void atTheDueTimeAFlowIsCreatedWithTheRunsNameLabelsAnnotationAndOwner() {
      ScheduleDecision decision =
          SchedulePlanner.decide(task(flowSpec(), null, null), List.of(), TEN.plusMillis(3));

      assertThat(decision.create())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.due()).isEqualTo(TEN);
                assertThat(s.child())
                    .isInstanceOfSatisfying(
                        TaskFlow.class,
                        flow -> {
                          assertThat(flow.getMetadata().getName())
                              .isEqualTo("backup-" + TEN.getEpochSecond());
                          assertThat(flow.getMetadata().getNamespace()).isEqualTo("ops");
                          assertThat(flow.getMetadata().getLabels())
                              .containsEntry(DroverLabels.SCHEDULED_TASK, "backup")
                              .containsEntry("team", "dba");
                          assertThat(flow.getMetadata().getAnnotations())
                              .containsEntry(DroverLabels.SCHEDULED_TIME, "2026-12-01T10:00:00Z")
                              .containsEntry("owner", "dba-oncall");
                          assertThat(flow.getMetadata().getOwnerReferences())
                              .singleElement()
                              .satisfies(
                                  o -> {
                                    assertThat(o.getUid()).isEqualTo("st-1");
                                    assertThat(o.getController()).isTrue();
                                  });
                          assertThat(flow.getSpec()).isEqualTo(FLOW_SPEC);
                        });
              });
      assertThat(decision.status().active()).containsExactly("backup-" + TEN.getEpochSecond());
      assertThat(decision.status().lastScheduleTime()).isEqualTo(TEN.toString());
      assertThat(decision.wakeAt()).isEqualTo(TEN.plusSeconds(60));
    }

    @Test
    void aFlowCreatedBeforeItsStatusWasWrittenIsRecordedNotCreatedAgain() {
      TaskFlow alreadyThere = flow("backup-" + TEN.getEpochSecond(), TEN, null);

      ScheduleDecision decision =
          SchedulePlanner.decide(
              task(flowSpec(), null, null), List.of(alreadyThere), TEN.plusSeconds(2));

      assertThat(decision.create()).isEmpty();
      assertThat(decision.status().handledThrough()).isEqualTo(TEN.toString());
      assertThat(decision.status().active()).containsExactly(alreadyThere.getMetadata().getName());
    }

    @Test
    void finishedFlowsBeyondTheHistoryLimitsAreDeletedOldestFirst() {
      List<TaskFlow> flows = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        flows.add(flow("ok-" + i, TEN.plusSeconds(60L * i), RunPhase.Succeeded));
      }
      flows.add(flow("bad-0", TEN, RunPhase.Failed));
      flows.add(flow("bad-1", TEN.plusSeconds(60), RunPhase.Cancelled));
      flows.add(flow("running", TEN.plusSeconds(600), RunPhase.Running));

      ScheduleDecision decision =
          SchedulePlanner.decide(
              task(
                  flowSpec().successfulRunsHistoryLimit(1).failedRunsHistoryLimit(1),
                  TEN.plusSeconds(600).toString(),
                  null),
              flows,
              TEN.plusSeconds(610));

      assertThat(decision.delete())
          .extracting(f -> f.getMetadata().getName())
          .containsExactlyInAnyOrder("ok-0", "ok-1", "ok-2", "bad-0");
      assertThat(decision.status().active()).containsExactly("running");
      assertThat(decision.status().lastSuccessfulTime()).isEqualTo(TEN.plusSeconds(187).toString());
    }

    @Test
    void forbidSkipsADueTimeWhileAFlowIsActive() {
      TaskFlow active = flow("backup-active", TEN, RunPhase.Running);

      ScheduleDecision decision =
          SchedulePlanner.decide(
              task(flowSpec().concurrencyPolicy(ConcurrencyPolicy.Forbid), TEN.toString(), null),
              List.of(active),
              TEN.plusSeconds(60));

      assertThat(decision.create()).isEmpty();
      assertThat(decision.status().missed()).isEqualTo(1);
      assertThat(decision.status().active()).containsExactly("backup-active");
      assertThat(reasons(decision)).contains("RunSkipped");
    }

    @Test
    void aFlowWithoutAStatusYetCountsAsActive() {
      TaskFlow justCreated = flow("backup-new", TEN, null);

      ScheduleDecision decision =
          SchedulePlanner.decide(
              task(flowSpec().concurrencyPolicy(ConcurrencyPolicy.Forbid), TEN.toString(), null),
              List.of(justCreated),
              TEN.plusSeconds(60));

      assertThat(decision.create()).isEmpty();
      assertThat(decision.status().active()).containsExactly("backup-new");
    }

    @Test
    void replaceCancelsTheActiveFlowAndStartsTheNextOne() {
      TaskFlow active = flow("backup-active", TEN, RunPhase.Running);

      ScheduleDecision decision =
          SchedulePlanner.decide(
              task(flowSpec().concurrencyPolicy(ConcurrencyPolicy.Replace), TEN.toString(), null),
              List.of(active),
              TEN.plusSeconds(60));

      assertThat(decision.cancel()).containsExactly(active);
      assertThat(decision.create())
          .singleElement()
          .satisfies(s -> assertThat(s.child()).isInstanceOf(TaskFlow.class));
      assertThat(decision.status().active())
          .containsExactly("backup-" + TEN.plusSeconds(60).getEpochSecond());
      assertThat(reasons(decision)).contains("RunsReplaced");
    }

    @Test
    void aRunNowTokenStartsAFlow() {
      ScheduleDecision decision =
          SchedulePlanner.decide(
              task(flowSpec().suspend(true), TEN.toString(), "t-1"),
              List.of(),
              TEN.plusSeconds(10));

      assertThat(decision.create())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.due()).isNull();
                assertThat(s.child()).isInstanceOf(TaskFlow.class);
                assertThat(s.child().getMetadata().getName()).startsWith("backup-manual-");
              });
    }

    @Test
    void runsLeftFromARunTemplateStillCountAfterASwitchToAFlowTemplate() {
      TaskRun stillRunning = run("backup-old", TEN, RunPhase.Running);
      TaskRun oldFailure = run("backup-older", TEN.minusSeconds(60), RunPhase.Failed);

      ScheduleDecision decision =
          SchedulePlanner.decide(
              task(
                  flowSpec().concurrencyPolicy(ConcurrencyPolicy.Forbid).failedRunsHistoryLimit(0),
                  TEN.toString(),
                  null),
              List.of(stillRunning, oldFailure),
              TEN.plusSeconds(60));

      assertThat(decision.create()).isEmpty();
      assertThat(decision.status().active()).containsExactly("backup-old");
      assertThat(decision.delete()).containsExactly(oldFailure);
    }
  }

  @Nested
  class BadInput {
    private ScheduleDecision decide(ScheduledTaskSpec.Builder spec) {
      return SchedulePlanner.decide(task(spec, null, null), List.of(), TEN.plusSeconds(300));
    }

    private String problem(ScheduledTaskSpec.Builder spec) {
      ScheduleDecision decision = decide(spec);
      assertThat(decision.create()).isEmpty();
      assertThat(decision.wakeAt()).isNull();
      assertThat(reasons(decision)).containsExactly("InvalidSpec");
      return decision.status().conditions().get(0).getMessage();
    }

    @Test
    void eachProblemIsNamedInTheReadyCondition() {
      assertThat(problem(spec().schedule("* * * * *").interval("5m").at(null).timeZone(null)))
          .isEqualTo("exactly one of schedule, interval and at is required, found 2");
      assertThat(problem(spec().schedule(null).interval(null).at(null).timeZone(null)))
          .isEqualTo("exactly one of schedule, interval and at is required, found 0");
      assertThat(problem(spec().schedule("0 25 * * *").interval(null).at(null).timeZone(null)))
          .startsWith("invalid cron expression '0 25 * * *'");
      assertThat(
              problem(
                  spec()
                      .schedule("* * * * *")
                      .interval(null)
                      .at(null)
                      .timeZone("Mars/Olympus_Mons")))
          .isEqualTo("unknown time zone 'Mars/Olympus_Mons'");
      assertThat(
              problem(
                  spec().schedule(null).interval(null).at("2020-01-01T00:00:00Z").timeZone(null)))
          .isEqualTo("at 2020-01-01T00:00:00Z was already past when the ScheduledTask was created");
      TaskRunSpec noCommand = TaskRunSpec.builder().selector(RUN_SPEC.selector()).build();
      assertThat(problem(spec().runTemplate(template(noCommand))))
          .isEqualTo("runTemplate.spec: either command or script is required");
    }

    @Test
    void exactlyOneOfRunTemplateAndFlowTemplateIsRequired() {
      assertThat(problem(spec().runTemplate(null)))
          .isEqualTo("exactly one of runTemplate and flowTemplate is required, found neither");
      assertThat(problem(spec().flowTemplate(FLOW_TEMPLATE)))
          .isEqualTo("exactly one of runTemplate and flowTemplate is required, found both");
      assertThat(problem(spec().runTemplate(null).flowTemplate(new FlowTemplate(null, null))))
          .isEqualTo("flowTemplate.spec is required");
    }

    @Test
    void aFlowTemplatesTasksAreLeftToTheFlowController() {
      TaskFlowSpec noTasks = new TaskFlowSpec(null, null, null, null, List.of(), null);

      ScheduleDecision decision =
          SchedulePlanner.decide(
              task(
                  spec().runTemplate(null).flowTemplate(new FlowTemplate(null, noTasks)),
                  null,
                  null),
              List.of(),
              TEN);

      assertThat(reasons(decision)).doesNotContain("InvalidSpec");
      assertThat(decision.create()).singleElement();
    }

    @Test
    void aRunTemplateNamingATaskIsCheckedWhenEachRunStartsNotHere() {
      TaskRunSpec byTask = TaskRunSpec.builder().taskRef(new TaskRef("pg-dump", null)).build();

      ScheduleDecision decision = decide(spec().runTemplate(template(byTask)));

      assertThat(reasons(decision)).doesNotContain("InvalidSpec");
      assertThat(decision.create()).isNotEmpty();
      assertThat(((TaskRun) decision.create().get(0).child()).getSpec().taskRef().name())
          .isEqualTo("pg-dump");
    }

    @Test
    void aStatusWithTheSameProblemIsNotRewritten() {
      ScheduleDecision first =
          decide(spec().schedule("0 25 * * *").interval(null).at(null).timeZone(null));
      ScheduledTask again =
          task(spec().schedule("0 25 * * *").interval(null).at(null).timeZone(null), null, null);
      again.setStatus(first.status());

      assertThat(SchedulePlanner.decide(again, List.of(), TEN.plusSeconds(900)).status())
          .isEqualTo(first.status());
    }
  }
}
