package dev.drover.operator.taskrun;

import static dev.drover.operator.taskrun.Fixtures.T0;
import static dev.drover.operator.taskrun.Fixtures.agent;
import static dev.drover.operator.taskrun.Fixtures.execution;
import static dev.drover.operator.taskrun.Fixtures.node;
import static dev.drover.operator.taskrun.Fixtures.run;
import static dev.drover.operator.taskrun.Fixtures.spec;
import static dev.drover.operator.taskrun.Fixtures.started;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.DroverLabels;
import dev.drover.api.agent.Agent;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.api.taskrun.TaskRunStatus;
import dev.drover.operator.support.ObjectEvent;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RunPlannerTest {
  private static final List<Agent> THREE_READY =
      List.of(agent("node-a", 2, true), agent("node-b", 2, true), agent("node-c", 2, true));

  private static RunDecision decide(
      TaskRun run, List<TaskExecution> executions, List<Agent> agents, Instant now) {
    return RunPlanner.decide(new RunContext(run, executions, agents, Map.of(), List.of(), now));
  }

  private static RunDecision decide(
      TaskRun run, List<TaskExecution> executions, Map<String, Integer> load) {
    return RunPlanner.decide(new RunContext(run, executions, THREE_READY, load, List.of(), T0));
  }

  private static List<String> reasons(RunDecision decision) {
    return decision.events().stream().map(ObjectEvent::reason).toList();
  }

  @Nested
  class Starting {
    @Test
    void broadcastCreatesOneDispatchedExecutionPerEligibleAgent() {
      List<Agent> agents =
          List.of(
              agent("node-a", 2, true),
              agent("node-b", 2, false),
              agent("node-c", 2, true, "elsewhere"),
              agent("node-d", 2, true));

      RunDecision decision = decide(run(spec(Dispatch.Broadcast)), List.of(), agents, T0);

      assertThat(decision.create())
          .extracting(
              e -> e.getMetadata().getName(),
              e -> e.getSpec().agent(),
              e -> e.getMetadata().getLabels().get(DroverLabels.AGENT))
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("scan-node-a-1", "node-a", "node-a"),
              org.assertj.core.groups.Tuple.tuple("scan-node-d-1", "node-d", "node-d"));
      assertThat(decision.create())
          .allSatisfy(
              e ->
                  assertThat(e.getMetadata().getOwnerReferences())
                      .singleElement()
                      .satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-1")));
      assertThat(decision.status().phase()).isEqualTo(RunPhase.Running);
      assertThat(decision.status().targets().total()).isEqualTo(2);
      assertThat(decision.status().targets().pending()).isEqualTo(2);
      assertThat(decision.status().startTime()).isEqualTo("2026-11-27T10:00:00Z");
      assertThat(reasons(decision)).containsExactly("Started");
    }

    @Test
    void distributeCreatesEveryItemButDispatchesOnlyUpToParallelismToTheLeastLoaded() {
      TaskRun run = run(Fixtures.withParallelism(spec(Dispatch.Distribute), 2));

      RunDecision decision = decide(run, List.of(), Map.of("node-a", 1, "node-b", 0, "node-c", 0));

      assertThat(decision.create())
          .extracting(e -> e.getSpec().item())
          .containsExactly("a", "b", "c", "d");
      assertThat(decision.create())
          .extracting(e -> e.getSpec().agent())
          .containsExactly("node-b", "node-c", null, null);
      assertThat(decision.create().get(2).getMetadata().getLabels())
          .doesNotContainKey(DroverLabels.AGENT);
    }

    @Test
    void aSelectorThatMatchesNoAgentFailsTheRunWithNoTargets() {
      RunDecision decision =
          decide(run(Fixtures.failFast(spec(Dispatch.Broadcast))), List.of(), List.of(), T0);

      assertThat(decision.create()).isEmpty();
      assertThat(decision.status().phase()).isEqualTo(RunPhase.Failed);
      assertThat(decision.status().reason()).isEqualTo("NoTargets");
      assertThat(decision.status().message())
          .isEqualTo("no agent matches the selector role=scanner");
      assertThat(reasons(decision)).containsExactly("NoTargets");
    }

    @Test
    void agentsThatDoNotServeTheNamespaceAreNamedInTheReason() {
      RunDecision decision =
          decide(
              run(Fixtures.failFast(spec(Dispatch.Single))),
              List.of(),
              List.of(agent("node-a", 1, true, "prod")),
              T0);

      assertThat(decision.status().message())
          .isEqualTo("1 agent(s) match the selector but none serves namespace ops");
    }

    @Test
    void aSpecWithoutCommandOrScriptFailsAsInvalidSpecAndCreatesNothing() {
      TaskRunSpec s = spec(Dispatch.Broadcast);
      TaskRunSpec noCommand =
          TaskRunSpec.builder().selector(s.selector()).dispatch(s.dispatch()).build();

      RunDecision decision = decide(run(noCommand), List.of(), THREE_READY, T0);

      assertThat(decision.create()).isEmpty();
      assertThat(decision.status().reason()).isEqualTo("InvalidSpec");
      assertThat(decision.status().message()).contains("either command or script is required");
      assertThat(decision.status().conditions())
          .filteredOn(c -> c.getType().equals("Failed"))
          .singleElement()
          .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
    }

    @Test
    void aStartCutShortByACrashOnlyCreatesWhatIsMissing() {
      TaskRun run = run(spec(Dispatch.Broadcast));
      TaskExecution already = execution(run, "node-a", "node-a", null, 1, "node-a", null, null);

      RunDecision decision = decide(run, List.of(already), Map.of("node-a", 1));

      assertThat(decision.create())
          .extracting(e -> e.getMetadata().getName())
          .containsExactly("scan-node-b-1", "scan-node-c-1");
      assertThat(decision.status().targets().total()).isEqualTo(3);
    }
  }

  @Nested
  class Running {
    @Test
    void unitsWhoseExecutionsVanishedAreCreatedAgainInsteadOfTheRunSucceedingWithoutThem() {
      TaskRun run = started(spec(Dispatch.Distribute), T0);
      run.setStatus(
          new TaskRunStatus(
              RunPhase.Running,
              null,
              null,
              "2026-11-27T10:00:00Z",
              null,
              null,
              null,
              new dev.drover.api.taskrun.TargetCounts(4, 4, 0, 0, 0, 0, 0, 0),
              null,
              null,
              1L,
              null,
              null,
              null,
              null,
              null));
      TaskExecution kept =
          execution(run, "item-0", null, "a", 1, "node-a", ExecutionPhase.Succeeded, T0);

      RunDecision decision = decide(run, List.of(kept), THREE_READY, T0.plusSeconds(1));

      assertThat(decision.create())
          .extracting(e -> e.getMetadata().getName())
          .containsExactly("scan-item-1-1", "scan-item-2-1", "scan-item-3-1");
      assertThat(decision.status().phase()).isEqualTo(RunPhase.Running);
      assertThat(reasons(decision)).doesNotContain("Started");
    }

    @Test
    void undispatchedUnitsAreDispatchedAsSlotsFreeUp() {
      TaskRun run = started(Fixtures.withParallelism(spec(Dispatch.Distribute), 2), T0);
      List<TaskExecution> executions =
          List.of(
              execution(run, "item-0", null, "a", 1, "node-a", ExecutionPhase.Succeeded, T0),
              execution(run, "item-1", null, "b", 1, "node-b", ExecutionPhase.Running, null),
              execution(run, "item-2", null, "c", 1, null, null, null),
              execution(run, "item-3", null, "d", 1, null, null, null));

      RunDecision decision = decide(run, executions, Map.of("node-b", 1));

      assertThat(decision.dispatch())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getMetadata().getName()).isEqualTo("scan-item-2-1");
                assertThat(e.getSpec().agent()).isIn("node-a", "node-c");
                assertThat(e.getMetadata().getResourceVersion()).isEqualTo("1");
              });
      assertThat(executions.get(2).getSpec().agent())
          .as("the cached object stays untouched")
          .isNull();
      assertThat(decision.status().targets())
          .satisfies(
              t -> {
                assertThat(t.succeeded()).isEqualTo(1);
                assertThat(t.running()).isEqualTo(1);
                assertThat(t.pending()).isEqualTo(2);
              });
      assertThat(decision.status().progress()).isEqualTo("1/4");
    }

    @Test
    void whenEveryAgentIsFullTheRunWaitsAndLooksAgainSoon() {
      TaskRun run = started(spec(Dispatch.Single), T0);
      List<TaskExecution> executions =
          List.of(execution(run, "single", null, null, 1, null, null, null));

      RunDecision decision = decide(run, executions, Map.of("node-a", 2, "node-b", 2, "node-c", 2));

      assertThat(decision.dispatch()).isEmpty();
      assertThat(decision.status().message()).isEqualTo("waiting for a matching agent with room");
      assertThat(decision.requeueAfter()).isEqualTo(ConcludeStep.WAIT_FOR_ROOM);
    }

    @Test
    void aFailedAttemptIsRetriedOnAnotherAgentOnceItsBackoffHasPassed() {
      TaskRun run = started(Fixtures.withRetries(spec(Dispatch.Single), 2, 10), T0);
      List<TaskExecution> executions =
          List.of(execution(run, "single", null, null, 1, "node-a", ExecutionPhase.Failed, T0));

      RunDecision early =
          decide(
              run,
              executions,
              List.of(agent("node-a", 2, true), agent("node-b", 2, true)),
              T0.plusSeconds(4));
      RunDecision due =
          decide(
              run,
              executions,
              List.of(agent("node-a", 2, true), agent("node-b", 2, true)),
              T0.plusSeconds(10));

      assertThat(early.create()).isEmpty();
      assertThat(early.requeueAfter()).isEqualTo(Duration.ofSeconds(6));
      assertThat(early.status().targets().retrying()).isEqualTo(1);
      assertThat(due.create())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getMetadata().getName()).isEqualTo("scan-single-2");
                assertThat(e.getSpec().attempt()).isEqualTo(2);
                assertThat(e.getSpec().agent()).isEqualTo("node-b");
              });
      assertThat(reasons(due)).containsExactly("Retrying");
      assertThat(due.status().results())
          .extracting(r -> r.phase(), r -> r.attempts(), r -> r.exitCode())
          .containsExactly(org.assertj.core.groups.Tuple.tuple(ExecutionPhase.Pending, 2, null));
    }

    @Test
    void aTimedOutAttemptIsReportedBeforeItIsRetried() {
      TaskRun run = started(Fixtures.withRetries(spec(Dispatch.Single), 1, 0), T0);
      List<TaskExecution> executions =
          List.of(execution(run, "single", null, null, 1, "node-a", ExecutionPhase.TimedOut, T0));

      RunDecision decision = decide(run, executions, Map.of());

      assertThat(reasons(decision)).containsExactly("TimedOut", "Retrying");
    }

    @Test
    void cancellingStopsRunningAttemptsAndNeverStartsTheRest() {
      TaskRun run =
          started(Fixtures.cancelled(Fixtures.withParallelism(spec(Dispatch.Distribute), 1)), T0);
      TaskExecution running =
          execution(run, "item-0", null, "a", 1, "node-a", ExecutionPhase.Running, null);
      List<TaskExecution> executions =
          List.of(running, execution(run, "item-1", null, "b", 1, null, null, null));

      RunDecision stopping = decide(run, executions, Map.of());

      assertThat(stopping.cancel()).containsExactly(running);
      assertThat(stopping.dispatch()).isEmpty();
      assertThat(stopping.status().phase()).isEqualTo(RunPhase.Running);

      TaskExecution cancelled =
          execution(run, "item-0", null, "a", 1, "node-a", ExecutionPhase.Cancelled, T0);
      RunDecision done = decide(run, List.of(cancelled, executions.get(1)), Map.of());

      assertThat(done.status().phase()).isEqualTo(RunPhase.Cancelled);
      assertThat(done.status().targets().cancelled()).isEqualTo(2);
    }

    @Test
    void pastItsDeadlineARunStopsAndFailsWithDeadlineExceeded() {
      TaskRun run = started(Fixtures.withDeadline(spec(Dispatch.Single), 60), T0);
      TaskExecution running =
          execution(run, "single", null, null, 1, "node-a", ExecutionPhase.Running, null);

      RunDecision before = decide(run, List.of(running), THREE_READY, T0.plusSeconds(59));
      RunDecision after = decide(run, List.of(running), THREE_READY, T0.plusSeconds(60));
      TaskExecution stopped =
          execution(
              run, "single", null, null, 1, "node-a", ExecutionPhase.Cancelled, T0.plusSeconds(61));
      RunDecision finished = decide(run, List.of(stopped), THREE_READY, T0.plusSeconds(61));

      assertThat(before.cancel()).isEmpty();
      assertThat(before.requeueAfter()).isEqualTo(Duration.ofSeconds(1));
      assertThat(after.cancel()).containsExactly(running);
      assertThat(finished.status().phase()).isEqualTo(RunPhase.Failed);
      assertThat(finished.status().reason()).isEqualTo("DeadlineExceeded");
    }

    @Test
    void reachingMaxFailuresStartsNothingNewButLetsRunningWorkFinish() {
      TaskRun run =
          started(
              Fixtures.withMaxFailures(
                  Fixtures.withParallelism(spec(Dispatch.Distribute), 2), new IntOrString("25%")),
              T0);
      TaskExecution running =
          execution(run, "item-1", null, "b", 1, "node-b", ExecutionPhase.Running, null);
      List<TaskExecution> executions =
          List.of(
              execution(run, "item-0", null, "a", 1, "node-a", ExecutionPhase.Failed, T0),
              running,
              execution(run, "item-2", null, "c", 1, null, null, null),
              execution(run, "item-3", null, "d", 1, null, null, null));

      RunDecision decision = decide(run, executions, Map.of());

      assertThat(decision.dispatch()).isEmpty();
      assertThat(decision.cancel()).isEmpty();
      assertThat(decision.status().phase()).isEqualTo(RunPhase.Running);
      assertThat(decision.status().targets().cancelled()).isEqualTo(2);

      List<TaskExecution> later =
          List.of(
              executions.get(0),
              execution(run, "item-1", null, "b", 1, "node-b", ExecutionPhase.Succeeded, T0),
              executions.get(2),
              executions.get(3));
      RunDecision done = decide(run, later, Map.of());
      assertThat(done.status().phase()).isEqualTo(RunPhase.Failed);
      assertThat(done.status().reason()).isEqualTo("MaxFailuresReached");
    }

    @Test
    void anAgentThatMissesItsTimeoutIsOverruledByTheOperator() {
      TaskRunSpec s = spec(Dispatch.Single);
      TaskRun run =
          started(
              TaskRunSpec.builder()
                  .selector(s.selector())
                  .dispatch(s.dispatch())
                  .command(s.command())
                  .timeoutSeconds(5L)
                  .build(),
              T0);
      TaskExecution running =
          execution(run, "single", null, null, 1, "node-a", ExecutionPhase.Running, null);

      RunDecision decision =
          decide(
              run,
              List.of(running),
              THREE_READY,
              T0.plusSeconds(5).plus(ObserveStep.TIMEOUT_BACKSTOP_GRACE));

      assertThat(decision.recordedOutcomes())
          .singleElement()
          .satisfies(o -> assertThat(o.phase()).isEqualTo(ExecutionPhase.TimedOut));
      assertThat(decision.cancel()).containsExactly(running);
    }

    @Test
    void workOnAnAgentThatNoLongerExistsIsRecordedLost() {
      TaskRun run = started(spec(Dispatch.Single), T0);
      TaskExecution pending =
          execution(run, "single", null, null, 1, "node-gone", ExecutionPhase.Pending, null);

      RunDecision decision = decide(run, List.of(pending), Map.of());

      assertThat(decision.recordedOutcomes())
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.phase()).isEqualTo(ExecutionPhase.Lost);
                assertThat(o.message()).isEqualTo("agent node-gone no longer exists");
              });
    }
  }

  @Nested
  class Finishing {
    @Test
    void whenEveryTargetSucceededTheRunSucceeds() {
      TaskRun run = started(spec(Dispatch.Broadcast), T0);
      List<TaskExecution> executions =
          List.of(
              execution(
                  run,
                  "node-a",
                  "node-a",
                  null,
                  1,
                  "node-a",
                  ExecutionPhase.Succeeded,
                  T0.plusSeconds(3)),
              execution(
                  run,
                  "node-b",
                  "node-b",
                  null,
                  1,
                  "node-b",
                  ExecutionPhase.Succeeded,
                  T0.plusSeconds(3)));

      RunDecision decision = decide(run, executions, THREE_READY, T0.plusSeconds(65));

      TaskRunStatus status = decision.status();
      assertThat(status.phase()).isEqualTo(RunPhase.Succeeded);
      assertThat(status.progress()).isEqualTo("2/2");
      assertThat(status.duration()).isEqualTo("1m5s");
      assertThat(status.conditions())
          .extracting(Condition::getType, Condition::getStatus)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("Succeeded", "True"),
              org.assertj.core.groups.Tuple.tuple("Failed", "False"));
      assertThat(reasons(decision)).containsExactly("Succeeded");
      assertThat(decision.requeueAfter()).isNull();
    }

    @Test
    void exhaustedRetriesFailTheRunWithFailuresListedFirst() {
      TaskRun run = started(Fixtures.withRetries(spec(Dispatch.Broadcast), 1, 0), T0);
      List<TaskExecution> executions =
          List.of(
              execution(run, "node-a", "node-a", null, 1, "node-a", ExecutionPhase.Succeeded, T0),
              execution(run, "node-b", "node-b", null, 1, "node-b", ExecutionPhase.Failed, T0),
              execution(run, "node-b", "node-b", null, 2, "node-b", ExecutionPhase.Failed, T0));

      RunDecision decision = decide(run, executions, Map.of());

      assertThat(decision.create()).isEmpty();
      assertThat(decision.status().reason()).isEqualTo("TargetsFailed");
      assertThat(decision.status().message()).isEqualTo("1 of 2 target(s) succeeded, 1 failed");
      assertThat(decision.status().results())
          .extracting(r -> r.target(), r -> r.phase(), r -> r.attempts(), r -> r.exitCode())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("node-b", ExecutionPhase.Failed, 2, 2),
              org.assertj.core.groups.Tuple.tuple("node-a", ExecutionPhase.Succeeded, 1, null));
    }

    @Test
    void theSameObservationsGiveTheSameStatusSoNothingIsRewritten() {
      TaskRun run = started(spec(Dispatch.Broadcast), T0);
      List<TaskExecution> executions =
          List.of(
              execution(run, "node-a", "node-a", null, 1, "node-a", ExecutionPhase.Running, null));

      TaskRunStatus first = decide(run, executions, THREE_READY, T0.plusSeconds(1)).status();
      run.setStatus(first);
      TaskRunStatus second = decide(run, executions, THREE_READY, T0.plusSeconds(30)).status();

      assertThat(second).isEqualTo(first);
    }

    @Test
    void aFinishedRunIsDeletedWhenItsTtlHasPassed() {
      TaskRunSpec s = spec(Dispatch.Single);
      TaskRun run =
          run(
              TaskRunSpec.builder()
                  .selector(s.selector())
                  .dispatch(s.dispatch())
                  .command(s.command())
                  .ttlSecondsAfterFinished(60L)
                  .build());
      Fixtures.completed(run, T0);

      assertThat(decide(run, List.of(), THREE_READY, T0.plusSeconds(30)).requeueAfter())
          .isEqualTo(Duration.ofSeconds(30));
      assertThat(decide(run, List.of(), THREE_READY, T0.plusSeconds(60)).delete()).isTrue();
    }
  }

  @Nested
  class InPods {
    private final List<Node> nodes =
        List.of(
            node("db-1", "scanner"),
            node("db-2", "scanner"),
            node("db-3", "scanner", new Taint("NoSchedule", "dedicated", null, "gpu")),
            node("web-1", "web"));

    private RunDecision decideOnNodes(TaskRun run, List<TaskExecution> executions, Instant now) {
      return RunPlanner.decide(new RunContext(run, executions, List.of(), Map.of(), nodes, now));
    }

    @Test
    void broadcastCreatesOneReleasedPodAttemptPerMatchingNodeWhoseTaintsItTolerates() {
      RunDecision decision =
          decideOnNodes(run(Fixtures.inPods(spec(Dispatch.Broadcast))), List.of(), T0);

      assertThat(decision.create())
          .extracting(
              e -> e.getMetadata().getName(),
              e -> e.getSpec().target(),
              e -> e.getSpec().dispatched(),
              e -> e.getSpec().pod().image())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("scan-db-1-1", "db-1", true, "postgres:16"),
              org.assertj.core.groups.Tuple.tuple("scan-db-2-1", "db-2", true, "postgres:16"));
      assertThat(decision.create())
          .allSatisfy(
              e -> {
                assertThat(e.getSpec().agent()).isNull();
                assertThat(e.getMetadata().getLabels())
                    .containsEntry(DroverLabels.EXECUTOR, "pod")
                    .doesNotContainKey(DroverLabels.AGENT);
              });
    }

    @Test
    void aTolerationAddsTheTaintedNode() {
      TaskRun run =
          run(
              Fixtures.inPods(
                  spec(Dispatch.Broadcast),
                  new Toleration("NoSchedule", "dedicated", "Exists", null, null)));

      assertThat(decideOnNodes(run, List.of(), T0).create())
          .extracting(e -> e.getSpec().target())
          .containsExactly("db-1", "db-2", "db-3");
    }

    @Test
    void distributeReleasesOnlyAsManyPodsAsParallelismAllowsAndLeavesTheNodeToTheScheduler() {
      RunDecision decision =
          decideOnNodes(
              run(Fixtures.inPods(Fixtures.withParallelism(spec(Dispatch.Distribute), 2))),
              List.of(),
              T0);

      assertThat(decision.create())
          .extracting(e -> e.getSpec().item(), e -> e.getSpec().dispatched())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("a", true),
              org.assertj.core.groups.Tuple.tuple("b", true),
              org.assertj.core.groups.Tuple.tuple("c", false),
              org.assertj.core.groups.Tuple.tuple("d", false));
      assertThat(decision.create().get(0).getSpec().nodeSelector().getMatchLabels())
          .containsEntry("role", "scanner");
      assertThat(decision.status().targets().pending()).isEqualTo(4);
    }

    @Test
    void aFinishedPodReleasesTheNextAttempt() {
      TaskRun run =
          started(Fixtures.inPods(Fixtures.withParallelism(spec(Dispatch.Distribute), 1)), T0);
      List<TaskExecution> executions =
          List.of(
              Fixtures.podExecution(
                  run, "item-0", null, "a", true, ExecutionPhase.Succeeded, "db-1"),
              Fixtures.podExecution(run, "item-1", null, "b", false, null, null));

      RunDecision decision = decideOnNodes(run, executions, T0.plusSeconds(1));

      assertThat(decision.dispatch())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getMetadata().getName()).isEqualTo("scan-item-1-1");
                assertThat(e.getSpec().dispatched()).isTrue();
              });
    }

    @Test
    void aFailedPodIsRetriedInANewPodThatPrefersAnotherNode() {
      TaskRun run = started(Fixtures.inPods(Fixtures.withRetries(spec(Dispatch.Single), 1, 0)), T0);
      List<TaskExecution> executions =
          List.of(
              Fixtures.podExecution(
                  run, "single", null, null, true, ExecutionPhase.Failed, "db-2"));

      RunDecision decision = decideOnNodes(run, executions, T0.plusSeconds(1));

      assertThat(decision.create())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getMetadata().getName()).isEqualTo("scan-single-2");
                assertThat(e.getSpec().dispatched()).isTrue();
                assertThat(e.getSpec().avoidNode()).isEqualTo("db-2");
              });
      assertThat(decision.events())
          .extracting(ObjectEvent::message)
          .containsExactly("attempt 1 of db-2 exited with code 1; attempt 2 runs in a new pod");
    }

    @Test
    void aPodAttemptIsNeverTakenForWorkOfAVanishedAgent() {
      TaskRun run = started(Fixtures.inPods(spec(Dispatch.Single)), T0);
      List<TaskExecution> executions =
          List.of(
              Fixtures.podExecution(
                  run, "single", null, null, true, ExecutionPhase.Running, "db-1"));

      RunDecision decision = decideOnNodes(run, executions, T0.plusSeconds(1));

      assertThat(decision.recordedOutcomes()).isEmpty();
      assertThat(decision.status().results())
          .extracting(r -> r.target(), r -> r.node(), r -> r.phase())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("db-1", "db-1", ExecutionPhase.Running));
    }

    @Test
    void aPodTheKubeletDidNotStopAtItsDeadlineIsTimedOutByTheOperatorAndCancelled() {
      TaskRunSpec s = spec(Dispatch.Single);
      TaskRun run =
          started(
              Fixtures.inPods(
                  TaskRunSpec.builder()
                      .selector(s.selector())
                      .dispatch(s.dispatch())
                      .command(s.command())
                      .timeoutSeconds(5L)
                      .build()),
              T0);
      TaskExecution running =
          Fixtures.podExecution(run, "single", null, null, true, ExecutionPhase.Running, "db-1");

      RunDecision early = decideOnNodes(run, List.of(running), T0.plusSeconds(5));
      RunDecision late =
          decideOnNodes(
              run, List.of(running), T0.plusSeconds(5).plus(ObserveStep.TIMEOUT_BACKSTOP_GRACE));

      assertThat(early.recordedOutcomes()).isEmpty();
      assertThat(early.requeueAfter()).isEqualTo(ObserveStep.TIMEOUT_BACKSTOP_GRACE);
      assertThat(late.recordedOutcomes())
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.phase()).isEqualTo(ExecutionPhase.TimedOut);
                assertThat(o.message())
                    .isEqualTo("pod scan-single-1 did not stop the attempt within its 5s timeout");
              });
      assertThat(late.cancel()).containsExactly(running);
    }

    @Test
    void aTellingTerminationReasonIsNamedInTheRetryEventAndShownInTheResult() {
      TaskRun run =
          started(Fixtures.inPods(Fixtures.withRetries(spec(Dispatch.Single), 1, 10)), T0);
      TaskExecution oomKilled = Fixtures.podExecution(run, "single", null, null, true, null, null);
      oomKilled.setStatus(
          dev.drover.api.execution.TaskExecutionStatus.of(
                  ExecutionPhase.Failed, "OOMKilled", "loading...")
              .startedAt("2026-11-27T10:00:00Z")
              .completedAt("2026-11-27T10:00:09Z")
              .withExitCode(137)
              .onNode("db-1"));

      RunDecision waiting = decideOnNodes(run, List.of(oomKilled), T0.plusSeconds(10));
      RunDecision due = decideOnNodes(run, List.of(oomKilled), T0.plusSeconds(19));

      assertThat(waiting.status().results())
          .extracting(r -> r.phase(), r -> r.reason())
          .as("while retrying, the result shows why the last attempt failed")
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(ExecutionPhase.Retrying, "OOMKilled"));
      assertThat(due.events())
          .extracting(ObjectEvent::message)
          .containsExactly(
              "attempt 1 of db-1 exited with code 137 (OOMKilled); attempt 2 runs in a new pod");
      RunDecision exhausted =
          decideOnNodes(
              started(Fixtures.inPods(spec(Dispatch.Single)), T0),
              List.of(oomKilled),
              T0.plusSeconds(10));
      assertThat(exhausted.status().results())
          .extracting(r -> r.phase(), r -> r.exitCode(), r -> r.reason())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(ExecutionPhase.Failed, 137, "OOMKilled"));
    }

    @Test
    void noMatchingNodeFailsTheRunWithNoTargets() {
      TaskRunSpec onGpus = Fixtures.inPods(spec(Dispatch.Broadcast));
      TaskRun run =
          run(
              TaskRunSpec.builder()
                  .selector(
                      new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
                          .addToMatchLabels("role", "gpu")
                          .build())
                  .dispatch(onGpus.dispatch())
                  .command(onGpus.command())
                  .executor(onGpus.executor())
                  .pod(onGpus.pod())
                  .targetWaitSeconds(0L)
                  .build());

      RunDecision decision = decideOnNodes(run, List.of(), T0);

      assertThat(decision.status().reason()).isEqualTo("NoTargets");
      assertThat(decision.status().message()).isEqualTo("no node matches the selector role=gpu");
    }

    @Test
    void executorPodWithoutAnImageIsAnInvalidSpec() {
      TaskRunSpec s = spec(Dispatch.Single);
      TaskRun run =
          run(
              TaskRunSpec.builder()
                  .selector(s.selector())
                  .dispatch(s.dispatch())
                  .command(s.command())
                  .executor(dev.drover.api.taskrun.Executor.Pod)
                  .build());

      RunDecision decision = decideOnNodes(run, List.of(), T0);

      assertThat(decision.status().reason()).isEqualTo("InvalidSpec");
      assertThat(decision.status().message())
          .isEqualTo("invalid spec: executor Pod needs pod.image");
    }
  }
}
