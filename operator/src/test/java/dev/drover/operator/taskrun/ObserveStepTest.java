package dev.drover.operator.taskrun;

import static dev.drover.operator.taskrun.Fixtures.T0;
import static dev.drover.operator.taskrun.Fixtures.agent;
import static dev.drover.operator.taskrun.Fixtures.execution;
import static dev.drover.operator.taskrun.Fixtures.spec;
import static dev.drover.operator.taskrun.Fixtures.started;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.agent.Agent;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.operator.taskrun.ObserveStep.Observation;
import dev.drover.operator.taskrun.RunDecision.RecordedOutcome;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObserveStepTest {
  private static final List<Agent> AGENTS =
      List.of(agent("node-a", 2, true), agent("node-b", 2, true));

  private static Observation observe(TaskRun run, List<TaskExecution> executions, Instant now) {
    RunContext ctx = new RunContext(run, executions, AGENTS, Map.of(), List.of(), now);
    return ObserveStep.observe(ctx, Unit.group(executions), T0);
  }

  @Test
  void aRunGoesOnWhileNothingStopsItAndWakesAtItsDeadline() {
    TaskRun run = started(Fixtures.withDeadline(spec(Dispatch.Single), 60), T0);

    Observation observed = observe(run, List.of(), T0.plusSeconds(10));

    assertThat(observed.stop()).isNull();
    assertThat(observed.wakeAt()).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void cancelOutranksTheDeadlineAndBothStopRunningAttempts() {
    TaskRunSpec spec = Fixtures.cancelled(Fixtures.withDeadline(spec(Dispatch.Single), 60));
    TaskRun run = started(spec, T0);
    TaskExecution running =
        execution(run, "single", null, null, 1, "node-a", ExecutionPhase.Running, null);

    Observation observed = observe(run, List.of(running), T0.plusSeconds(61));

    assertThat(observed.stop()).isEqualTo(Stop.CANCELLED);
    assertThat(observed.cancel()).containsExactly(running);
  }

  @Test
  void maxFailuresStopsNewWorkButLetsRunningAttemptsFinish() {
    TaskRun run =
        started(Fixtures.withMaxFailures(spec(Dispatch.Distribute), new IntOrString(1)), T0);
    List<TaskExecution> executions =
        List.of(
            execution(run, "item-0", null, "a", 1, "node-a", ExecutionPhase.Failed, T0),
            execution(run, "item-1", null, "b", 1, "node-b", ExecutionPhase.Running, null));

    Observation observed = observe(run, executions, T0.plusSeconds(1));

    assertThat(observed.stop()).isEqualTo(Stop.MAX_FAILURES_REACHED);
    assertThat(observed.cancel()).isEmpty();
  }

  @Test
  void anAttemptOnAnAgentThatNoLongerExistsIsRecordedLost() {
    TaskRun run = started(spec(Dispatch.Single), T0);
    TaskExecution orphan =
        execution(run, "single", null, null, 1, "node-gone", ExecutionPhase.Running, null);

    Observation observed = observe(run, List.of(orphan), T0.plusSeconds(1));

    assertThat(observed.recorded())
        .singleElement()
        .extracting(RecordedOutcome::phase, RecordedOutcome::reason, RecordedOutcome::message)
        .containsExactly(ExecutionPhase.Lost, "AgentGone", "agent node-gone no longer exists");
  }

  @Test
  void anAttemptPastItsTimeoutAndGraceIsRecordedTimedOutAndStoppedOnce() {
    TaskRun run =
        started(
            Fixtures.cancelled(spec(Dispatch.Single).toBuilder().timeoutSeconds(5L).build()), T0);
    TaskExecution running =
        execution(run, "single", null, null, 1, "node-a", ExecutionPhase.Running, null);
    Instant backstop = T0.plusSeconds(5).plus(ObserveStep.TIMEOUT_BACKSTOP_GRACE);

    Observation before = observe(run, List.of(running), backstop.minusSeconds(1));
    Observation after = observe(run, List.of(running), backstop);

    assertThat(before.recorded()).isEmpty();
    assertThat(before.wakeAt()).isEqualTo(backstop);
    assertThat(after.recorded())
        .singleElement()
        .extracting(RecordedOutcome::phase, RecordedOutcome::message)
        .containsExactly(
            ExecutionPhase.TimedOut, "agent node-a did not stop the attempt within its 5s timeout");
    assertThat(after.cancel()).as("one cancel although both rules ask for it").hasSize(1);
  }
}
