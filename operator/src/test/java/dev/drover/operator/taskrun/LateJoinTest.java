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
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Broadcast with lateJoinSeconds: targets that become eligible within the window run it too. */
class LateJoinTest {
  private static final TaskRunSpec JOINABLE =
      spec(Dispatch.Broadcast).toBuilder().lateJoinSeconds(60L).build();

  private static RunDecision decide(
      TaskRun run, List<TaskExecution> executions, List<Agent> agents, Instant now) {
    return RunPlanner.decide(new RunContext(run, executions, agents, Map.of(), List.of(), now));
  }

  /** The run's first unit, on node-a, in the given phase. */
  private static List<TaskExecution> onNodeA(TaskRun run, ExecutionPhase phase) {
    Instant completed = phase.isFinished() ? T0 : null;
    return List.of(execution(run, "node-a", "node-a", null, 1, "node-a", phase, completed));
  }

  private static List<Agent> ready(String... names) {
    return java.util.Arrays.stream(names).map(n -> agent(n, 2, true)).toList();
  }

  @Test
  void anAgentThatBecomesReadyWithinTheWindowGetsAUnitOfItsOwn() {
    TaskRun run = started(JOINABLE, T0);
    List<TaskExecution> first = onNodeA(run, ExecutionPhase.Running);

    RunDecision decision = decide(run, first, ready("node-a", "node-b"), T0.plusSeconds(10));

    assertThat(decision.create())
        .singleElement()
        .extracting(e -> e.getSpec().unit(), e -> e.getSpec().agent())
        .containsExactly("node-b", "node-b");
    assertThat(decision.status().targets().total()).isEqualTo(2);
    assertThat(decision.requeueAfter()).isEqualTo(StartStep.TARGET_POLL);
  }

  @Test
  void aRunWhoseTargetsAllFinishedStaysRunningUntilTheWindowCloses() {
    TaskRun run = started(JOINABLE, T0);
    List<TaskExecution> done = onNodeA(run, ExecutionPhase.Succeeded);
    List<Agent> agents = ready("node-a");

    RunDecision open = decide(run, done, agents, T0.plusSeconds(59));
    RunDecision closed = decide(run, done, agents, T0.plusSeconds(60));

    assertThat(open.status().phase()).isEqualTo(RunPhase.Running);
    assertThat(open.status().message())
        .isEqualTo(
            "1 of 1 target(s) succeeded so far; targets that join until 2026-11-27T10:01:00Z run"
                + " it too");
    assertThat(open.requeueAfter()).isEqualTo(java.time.Duration.ofSeconds(1));
    assertThat(closed.status().phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(closed.status().progress()).isEqualTo("1/1");
  }

  @Test
  void anAgentThatArrivesAfterTheWindowIsLeftOut() {
    TaskRun run = started(JOINABLE, T0);
    List<TaskExecution> done = onNodeA(run, ExecutionPhase.Succeeded);

    RunDecision decision = decide(run, done, ready("node-a", "node-late"), T0.plusSeconds(61));

    assertThat(decision.create()).isEmpty();
    assertThat(decision.status().phase()).isEqualTo(RunPhase.Succeeded);
  }

  @Test
  void aCancelledRunClosesItsWindowAtOnce() {
    TaskRun run = started(Fixtures.cancelled(JOINABLE), T0);
    List<TaskExecution> done = onNodeA(run, ExecutionPhase.Succeeded);

    RunDecision decision = decide(run, done, ready("node-a", "node-b"), T0.plusSeconds(10));

    assertThat(decision.create()).isEmpty();
    assertThat(decision.status().phase()).isEqualTo(RunPhase.Cancelled);
  }

  @Test
  void aLateJoinWindowIsOnlyForBroadcast() {
    assertThat(SpecProblems.of(spec(Dispatch.Single).toBuilder().lateJoinSeconds(30L).build()))
        .containsExactly("lateJoinSeconds is only used with dispatch Broadcast");
  }
}
