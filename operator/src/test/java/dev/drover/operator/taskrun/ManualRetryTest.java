package dev.drover.operator.taskrun;

import static dev.drover.operator.taskrun.Fixtures.T0;
import static dev.drover.operator.taskrun.Fixtures.agent;
import static dev.drover.operator.taskrun.Fixtures.execution;
import static dev.drover.operator.taskrun.Fixtures.run;
import static dev.drover.operator.taskrun.Fixtures.spec;
import static dev.drover.operator.taskrun.Fixtures.withDeadline;
import static dev.drover.operator.taskrun.Fixtures.withMaxFailures;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.DroverLabels;
import dev.drover.api.agent.Agent;
import dev.drover.api.agent.AgentSpec;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.operator.support.ObjectEvent;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A person retries the failed targets of a finished run with the drover.dev/retry annotation. */
class ManualRetryTest {
  private static final List<Agent> AGENTS =
      List.of(agent("node-a", 4, true), agent("node-b", 4, true));
  private static final Instant LATER = T0.plusSeconds(3600);

  private static RunDecision decide(TaskRun run, List<TaskExecution> executions, Instant now) {
    return RunPlanner.decide(new RunContext(run, executions, AGENTS, Map.of(), List.of(), now));
  }

  /** A Distribute of a, b, c, d whose first attempts ended as given, and which has finished. */
  private static TaskRun finishedRun(
      TaskRunSpec given, List<TaskExecution> executions, ExecutionPhase... phases) {
    TaskRunSpec spec = given.toBuilder().items(given.items().subList(0, phases.length)).build();
    TaskRun run = run(spec);
    for (int i = 0; i < phases.length; i++) {
      executions.add(
          execution(
              run,
              Unit.keyForItem(i),
              null,
              spec.items().get(i),
              1,
              "node-a",
              phases[i],
              T0.plusSeconds(5)));
    }
    run.setStatus(decide(run, List.of(), T0).status()); // started at T0
    run.setStatus(decide(run, executions, T0.plusSeconds(10)).status());
    return run;
  }

  private static TaskRun annotated(TaskRun run, String token) {
    run.getMetadata().setAnnotations(Map.of(DroverLabels.RETRY, token));
    return run;
  }

  private static List<String> reasons(List<ObjectEvent> events) {
    return events.stream().map(ObjectEvent::reason).toList();
  }

  @Test
  void onlyTheTargetsThatFailedTimedOutOrWereLostRunAgainAndTheRunIsRunningAgain() {
    List<TaskExecution> executions = new ArrayList<>();
    TaskRun run =
        finishedRun(
            spec(Dispatch.Distribute),
            executions,
            ExecutionPhase.Succeeded,
            ExecutionPhase.Failed,
            ExecutionPhase.TimedOut,
            ExecutionPhase.Lost);
    assertThat(run.getStatus().phase()).isEqualTo(RunPhase.Failed);

    ManualRetry retry = ManualRetry.of(annotated(run, "first"), LATER);
    RunDecision decision = decide(retry.run(), executions, LATER);

    assertThat(reasons(retry.events())).containsExactly("RetryRequested");
    assertThat(decision.create())
        .extracting(e -> e.getSpec().item(), e -> e.getSpec().attempt())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("b", 2),
            org.assertj.core.groups.Tuple.tuple("c", 2),
            org.assertj.core.groups.Tuple.tuple("d", 2));
    assertThat(decision.status().phase()).isEqualTo(RunPhase.Running);
    assertThat(decision.status().retries()).isEqualTo(1);
    assertThat(decision.status().retryToken()).isEqualTo("first");
    assertThat(decision.status().startTime()).isEqualTo("2026-11-27T11:00:00Z");
    assertThat(decision.status().targets().succeeded()).isEqualTo(1);
    assertThat(decision.status().message())
        .isEqualTo("1 of 4 target(s) succeeded so far (retry 1 of the failed targets)");
  }

  @Test
  void aTokenAlreadyActedOnDoesNothingMore() {
    List<TaskExecution> executions = new ArrayList<>();
    TaskRun run =
        finishedRun(
            spec(Dispatch.Distribute), executions, ExecutionPhase.Succeeded, ExecutionPhase.Failed);
    TaskRun retried = ManualRetry.of(annotated(run, "first"), LATER).run();
    executions.addAll(decide(retried, executions, LATER).create());
    executions.set(
        2, execution(run, "item-1", null, "b", 2, "node-a", ExecutionPhase.Failed, LATER));
    retried.setStatus(decide(retried, executions, LATER.plusSeconds(5)).status());
    assertThat(retried.getStatus().phase()).isEqualTo(RunPhase.Failed);

    ManualRetry again = ManualRetry.of(retried, LATER.plusSeconds(60));

    assertThat(again.run()).isSameAs(retried);
    assertThat(again.events()).isEmpty();
    assertThat(decide(again.run(), executions, LATER.plusSeconds(60)).create()).isEmpty();
  }

  @Test
  void aSecondTokenRetriesWhatFailedInTheFirstRetryOnceMore() {
    List<TaskExecution> executions = new ArrayList<>();
    TaskRun run =
        finishedRun(
            spec(Dispatch.Distribute), executions, ExecutionPhase.Succeeded, ExecutionPhase.Failed);
    TaskRun retried = ManualRetry.of(annotated(run, "first"), LATER).run();
    executions.add(execution(run, "item-1", null, "b", 2, "node-a", ExecutionPhase.Failed, LATER));
    retried.setStatus(decide(retried, executions, LATER.plusSeconds(5)).status());

    ManualRetry second = ManualRetry.of(annotated(retried, "second"), LATER.plusSeconds(60));
    RunDecision decision = decide(second.run(), executions, LATER.plusSeconds(60));

    assertThat(decision.create())
        .extracting(e -> e.getSpec().item(), e -> e.getSpec().attempt())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("b", 3));
    assertThat(decision.status().retries()).isEqualTo(2);
  }

  @Test
  void attemptsCreatedBeforeARestartLostTheStatusWriteAreNotCreatedAgain() {
    List<TaskExecution> executions = new ArrayList<>();
    TaskRun run =
        finishedRun(
            spec(Dispatch.Distribute), executions, ExecutionPhase.Succeeded, ExecutionPhase.Failed);
    annotated(run, "first");
    executions.addAll(decide(ManualRetry.of(run, LATER).run(), executions, LATER).create());

    // The operator restarted before writing the status: the run still reads Failed, token unseen.
    RunDecision afterRestart =
        decide(ManualRetry.of(run, LATER.plusSeconds(30)).run(), executions, LATER.plusSeconds(30));

    assertThat(afterRestart.create()).isEmpty();
    assertThat(afterRestart.status().phase()).isEqualTo(RunPhase.Running);
  }

  @Test
  void theDeadlineCountsFromTheRetryAndEarlierFailuresDoNotReachMaxFailures() {
    List<TaskExecution> executions = new ArrayList<>();
    TaskRunSpec strict =
        withMaxFailures(withDeadline(spec(Dispatch.Distribute), 60), new IntOrString(1));
    TaskRun run =
        finishedRun(
            strict,
            executions,
            ExecutionPhase.Failed,
            ExecutionPhase.Failed,
            ExecutionPhase.Succeeded);
    assertThat(run.getStatus().phase()).isEqualTo(RunPhase.Failed);

    RunDecision decision =
        decide(ManualRetry.of(annotated(run, "first"), LATER).run(), executions, LATER);

    assertThat(decision.status().phase()).isEqualTo(RunPhase.Running);
    assertThat(decision.create()).hasSize(2);
    assertThat(decision.cancel()).isEmpty();
  }

  @Test
  void aTokenOnARunThatDidNotFailIsRecordedAndRefusedWithAWarning() {
    List<TaskExecution> executions = new ArrayList<>();
    TaskRun run = finishedRun(spec(Dispatch.Distribute), executions, ExecutionPhase.Succeeded);
    assertThat(run.getStatus().phase()).isEqualTo(RunPhase.Succeeded);

    ManualRetry retry = ManualRetry.of(annotated(run, "first"), LATER);
    RunDecision decision = decide(retry.run(), executions, LATER);

    assertThat(retry.events())
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.reason()).isEqualTo("RetryRefused");
              assertThat(event.message())
                  .isEqualTo(
                      "drover.dev/retry=first ignored: only a Failed run can be retried, this one"
                          + " is Succeeded");
            });
    assertThat(decision.create()).isEmpty();
    assertThat(decision.status().phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(decision.status().retryToken()).isEqualTo("first");
    assertThat(ManualRetry.of(retry.run(), LATER).events()).as("refused once").isEmpty();
  }

  @Test
  void aBroadcastLeavesCordonedAgentsOutAndSaysSo() {
    Agent cordoned = agent("node-c", 4, true);
    AgentSpec spec = cordoned.getSpec();
    cordoned.setSpec(
        new AgentSpec(
            spec.capacity(),
            spec.namespaces(),
            spec.hostname(),
            spec.version(),
            spec.leaseName(),
            spec.leaseNamespace(),
            true));
    List<Agent> agents = List.of(agent("node-a", 4, true), agent("node-b", 4, true), cordoned);

    RunDecision decision =
        RunPlanner.decide(
            new RunContext(
                run(Fixtures.spec(Dispatch.Broadcast)),
                List.of(),
                agents,
                Map.of(),
                List.of(),
                T0));

    assertThat(decision.create())
        .extracting(e -> e.getSpec().agent())
        .containsExactly("node-a", "node-b");
    assertThat(decision.status().skipped())
        .satisfies(
            skipped -> {
              assertThat(skipped.count()).isEqualTo(1);
              assertThat(skipped.reason()).isEqualTo("Cordoned");
              assertThat(skipped.targets()).containsExactly("node-c");
            });
    assertThat(decision.status().message())
        .isEqualTo(
            "0 of 2 target(s) succeeded so far; 1 matching agent skipped (cordoned: node-c)");
    assertThat(reasons(decision.events())).contains("TargetsSkipped");
  }
}
