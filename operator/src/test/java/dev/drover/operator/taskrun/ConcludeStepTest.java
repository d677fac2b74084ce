package dev.drover.operator.taskrun;

import static dev.drover.operator.taskrun.Fixtures.T0;
import static dev.drover.operator.taskrun.Fixtures.execution;
import static dev.drover.operator.taskrun.Fixtures.spec;
import static dev.drover.operator.taskrun.Fixtures.started;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.operator.support.ObjectEvent;
import dev.drover.operator.taskrun.DispatchStep.Plan;
import dev.drover.operator.taskrun.ObserveStep.Observation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConcludeStepTest {
  private static final Plan NOTHING_PLACED = new Plan(List.of(), List.of(), List.of(), false, null);

  private static RunDecision conclude(
      TaskRun run, List<TaskExecution> executions, Stop stop, Plan plan) {
    RunContext ctx = new RunContext(run, executions, List.of(), Map.of(), List.of(), T0);
    Observation observed = new Observation(stop, List.of(), List.of(), null);
    return ConcludeStep.conclude(ctx, T0, false, observed, plan, null);
  }

  @Test
  void whatStoppedTheRunDecidesHowItEnds() {
    assertThat(ConcludeStep.end(Stop.DEADLINE_EXCEEDED, Map.of("a", UnitState.SUCCEEDED)))
        .isEqualTo(RunEnd.DEADLINE_EXCEEDED);
    assertThat(ConcludeStep.end(null, Map.of("a", UnitState.CANCELLED, "b", UnitState.FAILED)))
        .isEqualTo(RunEnd.TARGETS_FAILED);
    assertThat(ConcludeStep.end(null, Map.of("a", UnitState.CANCELLED)))
        .isEqualTo(RunEnd.TARGETS_CANCELLED);
    assertThat(ConcludeStep.end(null, Map.of("a", UnitState.SUCCEEDED)))
        .isEqualTo(RunEnd.COMPLETED);
  }

  @Test
  void aRunStoppedAtItsDeadlineSaysSoAndCountsWhatSettled() {
    TaskRun run = started(spec(Dispatch.Distribute), T0);
    List<TaskExecution> executions =
        List.of(
            execution(run, "item-0", null, "a", 1, "node-a", ExecutionPhase.Succeeded, T0),
            execution(run, "item-1", null, "b", 1, "node-a", ExecutionPhase.Cancelled, T0));

    RunDecision decision = conclude(run, executions, Stop.DEADLINE_EXCEEDED, NOTHING_PLACED);

    assertThat(decision.status().phase()).isEqualTo(RunPhase.Failed);
    assertThat(decision.status().reason()).isEqualTo("DeadlineExceeded");
    assertThat(decision.status().message())
        .isEqualTo(
            "the run exceeded its activeDeadlineSeconds; 1 of 2 target(s) succeeded, 1 cancelled");
    assertThat(decision.events())
        .extracting(ObjectEvent::reason, ObjectEvent::warning)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Failed", true));
  }

  @Test
  void attemptsCreatedInThisPassAreTheirUnitsLatest() {
    TaskRun run = started(Fixtures.withRetries(spec(Dispatch.Single), 1, 0), T0);
    TaskExecution failed =
        execution(run, "single", null, null, 1, "node-a", ExecutionPhase.Failed, T0);
    TaskExecution retry = ExecutionFactory.attempt(run, "single", null, null, 2, "node-b");

    RunDecision decision =
        conclude(
            run,
            List.of(failed),
            null,
            new Plan(List.of(retry), List.of(), List.of(), false, null));

    assertThat(decision.status().phase()).isEqualTo(RunPhase.Running);
    assertThat(decision.status().targets().pending()).isEqualTo(1);
    assertThat(decision.status().results())
        .singleElement()
        .satisfies(r -> assertThat(r.attempts()).isEqualTo(2));
  }

  @Test
  void aWaitingRunLooksAgainSoonButNeverInThePast() {
    Instant now = T0;

    assertThat(ConcludeStep.requeue(now, null, false)).isEqualTo(ConcludeStep.SAFETY_REQUEUE);
    assertThat(ConcludeStep.requeue(now, now.plusSeconds(60), true))
        .isEqualTo(ConcludeStep.WAIT_FOR_ROOM);
    assertThat(ConcludeStep.requeue(now, now.plusSeconds(2), true))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(ConcludeStep.requeue(now, now.minusSeconds(2), false)).isEqualTo(Duration.ZERO);
  }
}
