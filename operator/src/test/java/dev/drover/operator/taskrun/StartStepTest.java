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
import dev.drover.api.taskrun.TaskRunStatus;
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
        endEarly(run(spec(Dispatch.Broadcast)), List.of(agent("node-a", 2, false)), T0)
            .orElseThrow();

    assertThat(decision.status().reason()).isEqualTo("NoTargets");
    assertThat(decision.status().message())
        .isEqualTo("1 matching agent(s) serve namespace ops but none is Ready");
  }

  @Test
  void aStartedRunIsNotCheckedForTargetsAgain() {
    assertThat(endEarly(started(spec(Dispatch.Broadcast), T0), List.of(), T0)).isEmpty();
  }

  @Test
  void aFinishedRunWaitsOutItsTtlAndIsThenDeleted() {
    TaskRun run = run(spec(Dispatch.Single).toBuilder().ttlSecondsAfterFinished(60L).build());
    run.setStatus(
        new TaskRunStatus(
            RunPhase.Succeeded,
            "Completed",
            null,
            Timestamps.format(T0),
            Timestamps.format(T0),
            null,
            null,
            null,
            null,
            null,
            1L));

    RunDecision waiting = endEarly(run, READY, T0.plusSeconds(20)).orElseThrow();
    RunDecision due = endEarly(run, READY, T0.plusSeconds(60)).orElseThrow();

    assertThat(waiting.delete()).isFalse();
    assertThat(waiting.status()).isSameAs(run.getStatus());
    assertThat(waiting.requeueAfter()).isEqualTo(Duration.ofSeconds(40));
    assertThat(due.delete()).isTrue();
  }
}
