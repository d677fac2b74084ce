package dev.drover.operator.taskrun;

import static dev.drover.operator.taskrun.Fixtures.T0;
import static dev.drover.operator.taskrun.Fixtures.agent;
import static dev.drover.operator.taskrun.Fixtures.run;
import static dev.drover.operator.taskrun.Fixtures.spec;
import static dev.drover.operator.taskrun.Fixtures.started;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.Timestamps;
import dev.drover.api.agent.Agent;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.operator.support.ObjectEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StartStepTest {
  private static final List<Agent> READY = List.of(agent("node-a", 2, true));

  private static Optional<RunDecision> endEarly(TaskRun run, List<Agent> agents, Instant now) {
    return StartStep.endEarly(new RunContext(run, List.of(), agents, Map.of(), List.of(), now));
  }

  @Test
  void aValidRunWithTargetsGoesOnToPlaceWork() {
    assertThat(endEarly(run(spec(Dispatch.Broadcast)), READY, T0)).isEmpty();
  }

  @Test
  void anInvalidSpecEndsTheRunWithEveryProblemAndAWarning() {
    TaskRunSpec noCommand = spec(Dispatch.Single).toBuilder().command(null).args(null).build();

    RunDecision decision = endEarly(run(noCommand), READY, T0).orElseThrow();

    assertThat(decision.status().phase()).isEqualTo(RunPhase.Failed);
    assertThat(decision.status().reason()).isEqualTo("InvalidSpec");
    assertThat(decision.status().message()).startsWith("invalid spec: ");
    assertThat(decision.events())
        .singleElement()
        .extracting(ObjectEvent::reason, ObjectEvent::warning)
        .containsExactly("InvalidSpec", true);
    assertThat(decision.create()).isEmpty();
  }

  @Test
  void aRunCancelledBeforeItStartedEndsCancelledWithoutAWarning() {
    RunDecision decision =
        endEarly(run(Fixtures.cancelled(spec(Dispatch.Broadcast))), READY, T0).orElseThrow();

    assertThat(decision.status().phase()).isEqualTo(RunPhase.Cancelled);
    assertThat(decision.status().message()).isEqualTo("cancelled before it started");
    assertThat(decision.events())
        .singleElement()
        .extracting(ObjectEvent::reason, ObjectEvent::warning)
        .containsExactly("Cancelled", false);
  }

  @Test
  void aRunWithNoEligibleTargetFailsSayingWhy() {
    RunDecision decision =
        endEarly(
                run(Fixtures.failFast(spec(Dispatch.Broadcast))),
                List.of(agent("node-a", 2, false)),
                T0)
            .orElseThrow();

    assertThat(decision.status().reason()).isEqualTo("NoTargets");
    assertThat(decision.status().message())
        .isEqualTo("1 matching agent(s) serve namespace ops but none is Ready");
  }

  @Test
  void aRunWithNoTargetYetWaitsPendingSayingWhyThenFailsWhenTheWaitIsOver() {
    TaskRun run = run(spec(Dispatch.Broadcast).toBuilder().targetWaitSeconds(30L).build());
    run.getMetadata().setCreationTimestamp(Timestamps.format(T0));
    List<Agent> notReady = List.of(agent("node-a", 2, false));

    RunDecision waiting = endEarly(run, notReady, T0.plusSeconds(10)).orElseThrow();
    RunDecision almost = endEarly(run, notReady, T0.plusSeconds(29)).orElseThrow();
    RunDecision over = endEarly(run, notReady, T0.plusSeconds(30)).orElseThrow();

    assertThat(waiting.status().phase()).isEqualTo(RunPhase.Pending);
    assertThat(waiting.status().startTime()).isNull();
    assertThat(waiting.status().reason()).isEqualTo("WaitingForTargets");
    assertThat(waiting.status().message())
        .isEqualTo(
            "1 matching agent(s) serve namespace ops but none is Ready; waiting until"
                + " 2026-11-27T10:00:30Z (targetWaitSeconds 30)");
    assertThat(waiting.status().conditions())
        .filteredOn(c -> c.getType().equals("Succeeded"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("Unknown");
              assertThat(c.getReason()).isEqualTo("WaitingForTargets");
            });
    assertThat(waiting.events())
        .extracting(ObjectEvent::reason, ObjectEvent::warning)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("WaitingForTargets", false));
    assertThat(waiting.requeueAfter()).isEqualTo(StartStep.TARGET_POLL);
    assertThat(almost.requeueAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(over.status().phase()).isEqualTo(RunPhase.Failed);
    assertThat(over.status().reason()).isEqualTo("NoTargets");
  }

  @Test
  void theTargetWaitDefaultsToAMinute() {
    TaskRun run = run(spec(Dispatch.Single));
    run.getMetadata().setCreationTimestamp(Timestamps.format(T0));

    assertThat(endEarly(run, List.of(), T0.plusSeconds(59)).orElseThrow().status().phase())
        .isEqualTo(RunPhase.Pending);
    assertThat(endEarly(run, List.of(), T0.plusSeconds(60)).orElseThrow().status().phase())
        .isEqualTo(RunPhase.Failed);
  }

  @Test
  void aBroadcastWaitsForMatchingAgentsThatAreStillStarting() {
    TaskRun run = run(spec(Dispatch.Broadcast));
    run.getMetadata().setCreationTimestamp(Timestamps.format(T0));
    Agent starting = agent("node-b", 2, false);
    starting.setStatus(null);
    starting.getMetadata().setCreationTimestamp(Timestamps.format(T0.minusSeconds(5)));
    List<Agent> agents = List.of(agent("node-a", 2, true), starting);

    RunDecision decision = endEarly(run, agents, T0.plusSeconds(1)).orElseThrow();

    assertThat(decision.status().phase()).isEqualTo(RunPhase.Pending);
    assertThat(decision.status().message())
        .isEqualTo(
            "matching agent(s) node-b still joining; waiting until 2026-11-27T10:01:00Z"
                + " (targetWaitSeconds 60)");
    assertThat(endEarly(run(spec(Dispatch.Single)), agents, T0.plusSeconds(1)))
        .as("one target is all a Single run needs")
        .isEmpty();
  }

  @Test
  void aBroadcastStartsOnceNoMatchingAgentHasBecomeReadyForAFewSeconds() {
    TaskRun run = run(spec(Dispatch.Broadcast));
    run.getMetadata().setCreationTimestamp(Timestamps.format(T0));
    Agent justReady = agent("node-a", 2, true);
    justReady
        .getStatus()
        .getConditions()
        .get(0)
        .setLastTransitionTime(Timestamps.format(T0.minusSeconds(2)));

    RunDecision settling = endEarly(run, List.of(justReady), T0).orElseThrow();

    assertThat(settling.status().message()).startsWith("matching agent(s) node-a still joining");
    assertThat(endEarly(run, List.of(justReady), T0.plus(StartStep.AGENT_SETTLE))).isEmpty();
  }

  @Test
  void anAgentRegisteredLongAgoWithoutALeaseIsNotWaitedFor() {
    TaskRun run = run(spec(Dispatch.Broadcast));
    run.getMetadata().setCreationTimestamp(Timestamps.format(T0));
    Agent neverRenewed = agent("node-b", 2, false);
    neverRenewed.setStatus(null);
    neverRenewed
        .getMetadata()
        .setCreationTimestamp(
            Timestamps.format(T0.minus(StartStep.STARTING_AGENT_WINDOW).minusSeconds(1)));

    assertThat(endEarly(run, List.of(agent("node-a", 2, true), neverRenewed), T0)).isEmpty();
  }

  @Test
  void anAgentWhoseLeaseLapsedIsNotWaitedFor() {
    TaskRun run = run(spec(Dispatch.Broadcast));
    Agent lapsed = agent("node-b", 2, false);
    lapsed.getMetadata().setCreationTimestamp(Timestamps.format(T0));

    assertThat(endEarly(run, List.of(agent("node-a", 2, true), lapsed), T0)).isEmpty();
  }

  @Test
  void aStartedRunIsNotCheckedForTargetsAgain() {
    assertThat(endEarly(started(spec(Dispatch.Broadcast), T0), List.of(), T0)).isEmpty();
  }

  @Test
  void aFinishedRunWaitsOutItsTtlAndIsThenDeleted() {
    TaskRun run = run(spec(Dispatch.Single).toBuilder().ttlSecondsAfterFinished(60L).build());
    Fixtures.completed(run, T0);

    RunDecision waiting = endEarly(run, READY, T0.plusSeconds(20)).orElseThrow();
    RunDecision due = endEarly(run, READY, T0.plusSeconds(60)).orElseThrow();

    assertThat(waiting.delete()).isFalse();
    assertThat(waiting.status()).isSameAs(run.getStatus());
    assertThat(waiting.requeueAfter()).isEqualTo(Duration.ofSeconds(40));
    assertThat(due.delete()).isTrue();
  }
}
