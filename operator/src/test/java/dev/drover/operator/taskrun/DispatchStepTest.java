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
import dev.drover.api.taskrun.TaskRun;
import dev.drover.operator.support.ObjectEvent;
import dev.drover.operator.taskrun.DispatchStep.Plan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DispatchStepTest {
  private static final List<Agent> TWO_AGENTS =
      List.of(agent("node-a", 1, true), agent("node-b", 1, true));

  private static Plan plan(
      TaskRun run, List<TaskExecution> executions, Stop stop, Instant now, boolean starting) {
    RunContext ctx = new RunContext(run, executions, TWO_AGENTS, Map.of(), List.of(), now);
    return DispatchStep.plan(ctx, RunPlanner.units(ctx, starting), stop);
  }

  @Test
  void firstAttemptsAreBuiltWithTheirAgentAndLabelWhileAgentsHaveRoom() {
    TaskRun run = run(spec(Dispatch.Distribute));

    Plan plan = plan(run, List.of(), null, T0, true);

    assertThat(plan.create())
        .extracting(e -> e.getSpec().unit(), e -> e.getSpec().agent())
        .containsExactly(
            tuple("item-0", "node-a"),
            tuple("item-1", "node-b"),
            tuple("item-2", null),
            tuple("item-3", null));
    assertThat(plan.create().get(0).getMetadata().getLabels())
        .containsEntry(DroverLabels.AGENT, "node-a");
    assertThat(plan.waitingForRoom()).isTrue();
  }

  @Test
  void parallelismLeavesTheRestUndispatchedWithoutWaitingForRoom() {
    TaskRun run = run(Fixtures.withParallelism(spec(Dispatch.Distribute), 1));

    Plan plan = plan(run, List.of(), null, T0, true);

    assertThat(plan.create()).extracting(e -> e.getSpec().agent()).containsOnlyOnce("node-a");
    assertThat(plan.create()).filteredOn(e -> e.getSpec().agent() == null).hasSize(3);
    assertThat(plan.waitingForRoom()).isFalse();
  }

  @Test
  void aStoppedRunStillRecreatesVanishedUnitsButPlacesNothing() {
    TaskRun run = run(spec(Dispatch.Single));

    Plan plan = plan(run, List.of(), Stop.CANCELLED, T0, true);

    assertThat(plan.create()).singleElement().satisfies(e -> assertThat(e.dispatched()).isFalse());
    assertThat(plan.dispatch()).isEmpty();
  }

  @Test
  void aRetryWaitsOutItsBackoffThenGoesToAnotherAgentWithAnEvent() {
    TaskRun run = started(Fixtures.withRetries(spec(Dispatch.Single), 1, 10), T0);
    List<TaskExecution> failed =
        List.of(execution(run, "single", null, null, 1, "node-a", ExecutionPhase.Failed, T0));

    Plan early = plan(run, failed, null, T0.plusSeconds(3), false);
    Plan due = plan(run, failed, null, T0.plusSeconds(10), false);

    assertThat(early.create()).isEmpty();
    assertThat(early.wakeAt()).isEqualTo(T0.plusSeconds(10));
    assertThat(due.create())
        .singleElement()
        .extracting(e -> e.getSpec().attempt(), e -> e.getSpec().agent())
        .containsExactly(2, "node-b");
    assertThat(due.events())
        .singleElement()
        .extracting(ObjectEvent::reason, ObjectEvent::message)
        .containsExactly(
            "Retrying", "attempt 1 of node-a exited with code 2; attempt 2 runs on node-b");
  }

  @Test
  void podAttemptsAreReleasedForTheSchedulerAndRetriesAvoidTheFailedNode() {
    TaskRun run = started(Fixtures.withRetries(Fixtures.inPods(spec(Dispatch.Single)), 1, 0), T0);
    TaskExecution failed =
        Fixtures.podExecution(run, "single", null, null, true, ExecutionPhase.Failed, "db-1");
    RunContext ctx =
        new RunContext(
            run, List.of(failed), List.of(), Map.of(), List.of(node("db-1", "scanner")), T0);

    Plan plan = DispatchStep.plan(ctx, RunPlanner.units(ctx, false), null);

    assertThat(plan.create())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getSpec().released()).isTrue();
              assertThat(e.getSpec().avoidNode()).isEqualTo("db-1");
            });
    assertThat(plan.events())
        .extracting(ObjectEvent::message)
        .singleElement()
        .asString()
        .endsWith("attempt 2 runs in a new pod");
  }

  private static org.assertj.core.groups.Tuple tuple(Object... values) {
    return org.assertj.core.groups.Tuple.tuple(values);
  }
}
