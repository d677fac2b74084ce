package dev.drover.operator.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.DroverLabels;
import dev.drover.api.EnvEntry;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.flow.FlowTaskPhase;
import dev.drover.api.flow.FlowTaskStatus;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TargetResult;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FlowPlannerTest {
  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final String SELECTOR = "selector: {matchLabels: {role: db}}";

  /** A flow as a user writes it: the tasks block of its spec. */
  static TaskFlow flow(String specYaml) {
    TaskFlow flow =
        YAML.unmarshal(
            """
            apiVersion: drover.dev/v1alpha1
            kind: TaskFlow
            metadata: {name: nightly, namespace: ops, uid: flow-uid, generation: 1}
            spec:
            """
                + specYaml.indent(2),
            TaskFlow.class);
    return flow;
  }

  static String task(String name, String extra) {
    return "- name: "
        + name
        + "\n"
        + "  spec: {"
        + SELECTOR
        + ", dispatch: Single, script: 'echo "
        + name
        + "'}\n"
        + extra;
  }

  /** A world: the flow, its runs so far, and the results of finished ones. */
  static final class World {
    TaskFlow flow;
    final List<TaskRun> runs = new ArrayList<>();
    final Map<String, String> results = new HashMap<>();
    Instant now = T0;

    World(TaskFlow flow) {
      this.flow = flow;
    }

    /** One pass: creates what the planner asks for and records the status it decided. */
    FlowDecision pass() {
      FlowDecision decision =
          FlowPlanner.decide(
              new FlowContext(
                  flow,
                  List.copyOf(runs),
                  r -> results.getOrDefault(r.getMetadata().getName(), ""),
                  now));
      runs.addAll(decision.create());
      flow.setStatus(decision.status());
      return decision;
    }

    TaskRun run(String name) {
      return runs.stream()
          .filter(r -> r.getMetadata().getName().equals(name))
          .findFirst()
          .orElseThrow();
    }

    void finish(String runName, RunPhase phase, String result) {
      TaskRun run = run(runName);
      run.setStatus(
          new TaskRunStatus(
              phase,
              phase.name(),
              phase == RunPhase.Failed ? "1 of 1 target failed" : null,
              "2026-11-28T10:00:00Z",
              "2026-11-28T10:00:05Z",
              null,
              null,
              null,
              null,
              null,
              1L,
              null,
              result,
              null,
              null,
              null));
      if (result != null) {
        results.put(runName, result);
      }
    }

    FlowTaskStatus task(String name) {
      return flow.getStatus().tasks().stream()
          .filter(t -> t.name().equals(name))
          .findFirst()
          .orElseThrow();
    }
  }

  static List<String> names(List<TaskRun> runs) {
    return runs.stream().map(r -> r.getMetadata().getName()).toList();
  }

  @Test
  void tasksWithoutDependenciesStartTogetherAsAGroupOwnedAndLabelledByTheFlow() {
    World world =
        new World(flow("tasks:\n" + task("disk", "") + task("memory", "") + task("network", "")));

    FlowDecision first = world.pass();

    assertThat(names(first.create()))
        .containsExactly("nightly-disk", "nightly-memory", "nightly-network");
    TaskRun disk = first.create().get(0);
    assertThat(disk.getMetadata().getLabels())
        .containsEntry(DroverLabels.FLOW, "nightly")
        .containsEntry(DroverLabels.FLOW_TASK, "disk")
        .containsEntry(DroverLabels.FLOW_RETRY, "0");
    assertThat(disk.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo("flow-uid"));
    assertThat(first.status().phase()).isEqualTo(RunPhase.Running);
    assertThat(first.status().progress()).isEqualTo("0/3");
    assertThat(first.status().running()).isEqualTo("disk,memory,network");
  }

  @Test
  void aPassThatFindsTheRunsAlreadyThereCreatesNothingAgain() {
    World world = new World(flow("tasks:\n" + task("a", "") + task("b", "  dependsOn: [a]\n")));
    world.pass();

    assertThat(world.pass().create()).isEmpty();
  }

  @Nested
  class Chain {
    World world =
        new World(
            flow(
                """
                tasks:
                - name: pick
                  spec: {selector: {matchLabels: {role: db}}, dispatch: Single, script: 'echo 7 > $DROVER_RESULT'}
                - name: double
                  dependsOn: [pick]
                  spec: {selector: {matchLabels: {role: db}}, dispatch: Single, script: 'expr $(tasks.pick.result) \\* 2'}
                """));

    @Test
    void theNextStepWaitsForThePreviousOneToSucceed() {
      assertThat(names(world.pass().create())).containsExactly("nightly-pick");
      assertThat(world.task("double").phase()).isEqualTo(FlowTaskPhase.Pending);
      assertThat(world.task("double").message()).isEqualTo("waiting for pick");
    }

    @Test
    void theResultReachesTheNextStepInAnEnvironmentVariableItsScriptRefersTo() {
      world.pass();
      world.finish("nightly-pick", RunPhase.Succeeded, "7");

      FlowDecision next = world.pass();

      TaskRun dbl = next.create().get(0);
      assertThat(dbl.getSpec().script()).isEqualTo("expr \"${DROVER_TASK_PICK_RESULT}\" \\* 2");
      assertThat(dbl.getSpec().env()).containsExactly(new EnvEntry("DROVER_TASK_PICK_RESULT", "7"));
      assertThat(world.task("pick").result()).isEqualTo("7");
    }

    @Test
    void aResultHoldingShellCodeIsCarriedAsDataWithItsDollarsEscapedForTheAgent() {
      world.pass();
      world.finish("nightly-pick", RunPhase.Succeeded, "$(rm -rf /)");

      TaskRun dbl = world.pass().create().get(0);

      assertThat(dbl.getSpec().env())
          .containsExactly(new EnvEntry("DROVER_TASK_PICK_RESULT", "$$(rm -rf /)"));
      assertThat(dbl.getSpec().script()).doesNotContain("rm -rf");
    }

    @Test
    void theFlowSucceedsWhenEveryTaskHas() {
      world.pass();
      world.finish("nightly-pick", RunPhase.Succeeded, "7");
      world.pass();
      world.finish("nightly-double", RunPhase.Succeeded, "14");

      FlowDecision last = world.pass();

      assertThat(last.status().phase()).isEqualTo(RunPhase.Succeeded);
      assertThat(last.status().reason()).isEqualTo("Completed");
      assertThat(last.status().progress()).isEqualTo("2/2");
      assertThat(last.status().completionTime()).isEqualTo("2026-11-28T10:00:00Z");
      assertThat(last.events()).anySatisfy(e -> assertThat(e.reason()).isEqualTo("Completed"));
    }
  }

  @Test
  void aChordBodyReceivesItsDependenciesResultsAsOneJsonArrayInDependsOnOrder() {
    World world =
        new World(
            flow(
                "tasks:\n"
                    + task("disk", "")
                    + task("memory", "")
                    + """
                    - name: summary
                      dependsOn: [memory, disk]
                      spec: {selector: {matchLabels: {role: db}}, dispatch: Single, script: 'echo "$(dependsOn.results)"'}
                    """));
    world.pass();
    world.finish("nightly-disk", RunPhase.Succeeded, "{\"ok\": true}");
    world.finish("nightly-memory", RunPhase.Succeeded, "plain text");

    TaskRun summary = world.pass().create().get(0);

    assertThat(summary.getSpec().env())
        .containsExactly(
            new EnvEntry("DROVER_DEPENDS_ON_RESULTS", "[\"plain text\",{\"ok\":true}]"));
    assertThat(summary.getSpec().script()).isEqualTo("echo \"${DROVER_DEPENDS_ON_RESULTS}\"");
  }

  @Nested
  class MapOverItems {
    String spec(String extra) {
      return "tasks:\n"
          + task("list", "")
          + "- name: check\n  dependsOn: [list]\n  itemsFrom: $(tasks.list.result)\n"
          + "  spec: {"
          + SELECTOR
          + ", parallelism: 5, script: 'echo $(item)'}\n"
          + extra;
    }

    @Test
    void aJsonArrayResultBecomesTheItemsOfADistributeRun() {
      World world = new World(flow(spec("")));
      world.pass();
      world.finish("nightly-list", RunPhase.Succeeded, "[\"db-1\", \"db-2\", 3, {\"x\": 1}]");

      TaskRun check = world.pass().create().get(0);

      assertThat(check.getSpec().dispatch()).isEqualTo(Dispatch.Distribute);
      assertThat(check.getSpec().items()).containsExactly("db-1", "db-2", "3", "{\"x\":1}");
      assertThat(check.getSpec().parallelism()).isEqualTo(5);
      assertThat(check.getSpec().script()).isEqualTo("echo \"${DROVER_ITEM}\"");
    }

    @Test
    void aResultThatIsNoArrayFailsTheTaskWithoutARun() {
      World world = new World(flow(spec("")));
      world.pass();
      world.finish("nightly-list", RunPhase.Succeeded, "db-1 db-2");

      FlowDecision decision = world.pass();

      assertThat(decision.create()).isEmpty();
      assertThat(world.task("check").phase()).isEqualTo(FlowTaskPhase.Failed);
      assertThat(world.task("check").message())
          .isEqualTo("itemsFrom: the result of list is not a JSON array: \"db-1 db-2\"");
      assertThat(decision.status().phase()).isEqualTo(RunPhase.Failed);
      assertThat(decision.status().message()).startsWith("task check failed");
    }

    @Test
    void anEmptyArraySkipsTheTask() {
      World world = new World(flow(spec("")));
      world.pass();
      world.finish("nightly-list", RunPhase.Succeeded, "[]");

      FlowDecision decision = world.pass();

      assertThat(world.task("check").phase()).isEqualTo(FlowTaskPhase.Skipped);
      assertThat(decision.status().phase()).isEqualTo(RunPhase.Succeeded);
    }
  }

  @Nested
  class FailureHandlersAndFinally {
    World world =
        new World(
            flow(
                "tasks:\n"
                    + task("dump", "")
                    + task("upload", "  dependsOn: [dump]\n")
                    + task("page", "  depends: dump.Failed\n")
                    + "finally:\n"
                    + task("cleanup", "")));

    @Test
    void finallyWaitsUntilEveryOtherTaskHasSettled() {
      world.pass();

      assertThat(world.task("cleanup").phase()).isEqualTo(FlowTaskPhase.Pending);
      assertThat(world.task("cleanup").message())
          .isEqualTo("runs after the other tasks have settled");
    }

    @Test
    void onSuccessTheHandlerIsSkippedAndFinallyRuns() {
      world.pass();
      world.finish("nightly-dump", RunPhase.Succeeded, null);
      assertThat(names(world.pass().create())).containsExactly("nightly-upload");
      assertThat(world.task("page").phase()).isEqualTo(FlowTaskPhase.Skipped);
      world.finish("nightly-upload", RunPhase.Succeeded, null);

      assertThat(names(world.pass().create())).containsExactly("nightly-cleanup");
      world.finish("nightly-cleanup", RunPhase.Succeeded, null);

      assertThat(world.pass().status().phase()).isEqualTo(RunPhase.Succeeded);
    }

    @Test
    void onFailureTheHandlerRunsThenFinallyAndTheFlowFailsNamingTheTask() {
      world.pass();
      world.finish("nightly-dump", RunPhase.Failed, null);

      FlowDecision afterFailure = world.pass();

      assertThat(names(afterFailure.create())).containsExactly("nightly-page");
      assertThat(world.task("upload").phase()).isEqualTo(FlowTaskPhase.Skipped);
      assertThat(world.task("dump").handled()).isTrue();
      world.finish("nightly-page", RunPhase.Succeeded, null);
      assertThat(names(world.pass().create())).containsExactly("nightly-cleanup");
      world.finish("nightly-cleanup", RunPhase.Succeeded, null);

      FlowDecision last = world.pass();

      assertThat(last.status().phase()).isEqualTo(RunPhase.Failed);
      assertThat(last.status().reason()).isEqualTo("TasksFailed");
      assertThat(last.status().message()).startsWith("task dump failed; ");
      assertThat(last.events())
          .anySatisfy(e -> assertThat(e.message()).startsWith("task dump failed (handled)"));
    }
  }

  @Test
  void aSettledTaskWhoseRunWasDeletedIsNotRunAgain() {
    World world = new World(flow("tasks:\n" + task("a", "") + task("b", "  dependsOn: [a]\n")));
    world.pass();
    world.finish("nightly-a", RunPhase.Succeeded, "7");
    world.pass();
    world.runs.remove(world.run("nightly-a"));

    FlowDecision decision = world.pass();

    assertThat(decision.create()).isEmpty();
    assertThat(world.task("a").phase()).isEqualTo(FlowTaskPhase.Succeeded);
    assertThat(world.task("a").message())
        .isEqualTo("its TaskRun nightly-a is gone; it ended Succeeded");
  }

  @Test
  void aFailedTaskSaysWhichTargetFailedAndHowInItsStatusAndEvent() {
    World world = new World(flow("tasks:\n" + task("dump", "")));
    world.pass();
    world.finish("nightly-dump", RunPhase.Failed, null);
    TaskRun dump = world.run("nightly-dump");
    TaskRunStatus failed = dump.getStatus();
    dump.setStatus(
        new TaskRunStatus(
            failed.phase(),
            failed.reason(),
            failed.message(),
            failed.startTime(),
            failed.completionTime(),
            null,
            null,
            null,
            List.of(
                new TargetResult(
                    "db-1",
                    null,
                    "db-1",
                    null,
                    ExecutionPhase.Failed,
                    1,
                    3,
                    "NonZeroExit",
                    null,
                    null,
                    "dumping orders\ndisk full\n")),
            null,
            1L,
            null,
            null,
            null,
            null,
            null));

    FlowDecision decision = world.pass();

    assertThat(world.task("dump").message())
        .isEqualTo("1 of 1 target failed; db-1: NonZeroExit (exit 3): disk full");
    assertThat(decision.events())
        .anySatisfy(e -> assertThat(e.message()).endsWith("db-1: NonZeroExit (exit 3): disk full"));
  }

  @Test
  void failFastStartsNothingNewAfterAnUnhandledFailureButLetsRunningTasksFinish() {
    World world =
        new World(
            flow("tasks:\n" + task("a", "") + task("b", "") + task("c", "  dependsOn: [b]\n")));
    world.pass();
    world.finish("nightly-a", RunPhase.Failed, null);
    FlowDecision afterFailure = world.pass();
    assertThat(afterFailure.cancel()).isEmpty();
    world.finish("nightly-b", RunPhase.Succeeded, null);

    FlowDecision last = world.pass();

    assertThat(last.create()).isEmpty();
    assertThat(world.task("c").phase()).isEqualTo(FlowTaskPhase.Skipped);
    assertThat(world.task("c").message()).isEqualTo("not started: failFast: task a failed");
    assertThat(last.status().phase()).isEqualTo(RunPhase.Failed);
  }

  @Test
  void withoutFailFastIndependentBranchesGoOn() {
    World world =
        new World(
            flow(
                "failFast: false\ntasks:\n"
                    + task("a", "")
                    + task("b", "")
                    + task("c", "  dependsOn: [b]\n")));
    world.pass();
    world.finish("nightly-a", RunPhase.Failed, null);
    world.finish("nightly-b", RunPhase.Succeeded, null);

    assertThat(names(world.pass().create())).containsExactly("nightly-c");
  }

  @Test
  void aTaskThatMayFailDoesNotFailTheFlow() {
    World world = new World(flow("tasks:\n" + task("a", "  continueOnFailure: true\n")));
    world.pass();
    world.finish("nightly-a", RunPhase.Failed, null);

    FlowDecision last = world.pass();

    assertThat(last.status().phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(world.task("a").handled()).isTrue();
  }

  @Test
  void parallelismCapsTheFlowsRunningTaskRuns() {
    World world =
        new World(flow("parallelism: 2\ntasks:\n" + task("a", "") + task("b", "") + task("c", "")));

    assertThat(names(world.pass().create())).containsExactly("nightly-a", "nightly-b");
    assertThat(world.task("c").message()).isEqualTo("waiting for room: parallelism 2");
    world.finish("nightly-a", RunPhase.Succeeded, null);
    assertThat(names(world.pass().create())).containsExactly("nightly-c");
  }

  @Test
  void whenGuardsSkipATaskWhoseInputIsNotAmongTheValues() {
    World world =
        new World(
            flow(
                "tasks:\n"
                    + task("check", "")
                    + task(
                        "repair",
                        "  dependsOn: [check]\n"
                            + "  when: [{input: $(tasks.check.result), operator: In, values:"
                            + " [broken]}]\n")));
    world.pass();
    world.finish("nightly-check", RunPhase.Succeeded, "fine");

    FlowDecision last = world.pass();

    assertThat(last.create()).isEmpty();
    assertThat(world.task("repair").phase()).isEqualTo(FlowTaskPhase.Skipped);
    assertThat(world.task("repair").message()).isEqualTo("when: \"fine\" is not in [broken]");
    assertThat(last.status().phase()).isEqualTo(RunPhase.Succeeded);
  }

  @Test
  void cancelStopsRunningTasksSkipsTheRestAndStillRunsFinally() {
    String tasks =
        "parallelism: 1\ntasks:\n"
            + task("a", "")
            + task("b", "")
            + "finally:\n"
            + task("cleanup", "");
    World world = new World(flow(tasks));
    world.pass();
    TaskFlow cancelled = flow("cancel: true\n" + tasks);
    cancelled.setStatus(world.flow.getStatus());
    world.flow = cancelled;

    FlowDecision cancelling = world.pass();
    assertThat(names(cancelling.cancel())).containsExactly("nightly-a");
    world.finish("nightly-a", RunPhase.Cancelled, null);

    assertThat(names(world.pass().create())).containsExactly("nightly-cleanup");
    assertThat(world.task("b").message()).isEqualTo("not started: the flow was cancelled");
    world.finish("nightly-cleanup", RunPhase.Succeeded, null);
    assertThat(world.pass().status().phase()).isEqualTo(RunPhase.Cancelled);
  }

  @Test
  void theDeadlineCancelsRunningTasksAndFailsTheFlow() {
    World world = new World(flow("activeDeadlineSeconds: 60\ntasks:\n" + task("a", "")));
    FlowDecision first = world.pass();
    assertThat(first.requeueAfter()).isEqualTo(Duration.ofSeconds(60));
    world.now = T0.plusSeconds(60);

    FlowDecision late = world.pass();
    assertThat(names(late.cancel())).containsExactly("nightly-a");
    world.finish("nightly-a", RunPhase.Cancelled, null);

    FlowDecision last = world.pass();
    assertThat(last.status().phase()).isEqualTo(RunPhase.Failed);
    assertThat(last.status().reason()).isEqualTo("DeadlineExceeded");
  }

  @Nested
  class Retry {
    World failed() {
      World world =
          new World(
              flow(
                  "failFast: false\ntasks:\n"
                      + task("a", "")
                      + task("b", "  dependsOn: [a]\n")
                      + task("c", "")
                      + "finally:\n"
                      + task("cleanup", "")));
      world.pass();
      world.finish("nightly-a", RunPhase.Succeeded, null);
      world.finish("nightly-c", RunPhase.Failed, null);
      world.pass();
      world.finish("nightly-b", RunPhase.Failed, null);
      world.pass();
      world.finish("nightly-cleanup", RunPhase.Succeeded, null);
      assertThat(world.pass().status().phase()).isEqualTo(RunPhase.Failed);
      return world;
    }

    @Test
    void aFinishedFlowDoesNothingMore() {
      World world = failed();

      FlowDecision again = world.pass();

      assertThat(again.create()).isEmpty();
      assertThat(again.events()).isEmpty();
    }

    @Test
    void aNewRetryTokenRerunsOnlyTheFailedTasksUnderNewNames() {
      World world = failed();
      world.flow.getMetadata().setAnnotations(java.util.Map.of(DroverLabels.RETRY, "1"));

      FlowDecision retry = world.pass();

      assertThat(names(retry.create())).containsExactly("nightly-b-r1", "nightly-c-r1");
      assertThat(retry.status().phase()).isEqualTo(RunPhase.Running);
      assertThat(retry.status().retries()).isEqualTo(1);
      assertThat(retry.status().retryToken()).isEqualTo("1");
      assertThat(world.task("a").run()).isEqualTo("nightly-a");
      assertThat(retry.events()).anySatisfy(e -> assertThat(e.reason()).isEqualTo("Retrying"));
      world.finish("nightly-b-r1", RunPhase.Succeeded, null);
      world.finish("nightly-c-r1", RunPhase.Succeeded, null);
      assertThat(names(world.pass().create())).containsExactly("nightly-cleanup-r1");
      world.finish("nightly-cleanup-r1", RunPhase.Succeeded, null);
      assertThat(world.pass().status().phase()).isEqualTo(RunPhase.Succeeded);
    }

    @Test
    void theSameTokenTwiceRetriesOnce() {
      World world = failed();
      world.flow.getMetadata().setAnnotations(java.util.Map.of(DroverLabels.RETRY, "1"));
      world.pass();
      world.finish("nightly-b-r1", RunPhase.Failed, null);
      world.finish("nightly-c-r1", RunPhase.Failed, null);
      world.pass();
      world.finish("nightly-cleanup-r1", RunPhase.Succeeded, null);
      assertThat(world.pass().status().phase()).isEqualTo(RunPhase.Failed);

      assertThat(world.pass().create()).isEmpty();
    }
  }

  @Test
  void aResultInsideShellArithmeticIsRefusedBeforeAnythingRuns() {
    World world =
        new World(
            flow(
                "tasks:\n"
                    + task("pick", "")
                    + "- name: double\n  dependsOn: [pick]\n"
                    + "  spec: {"
                    + SELECTOR
                    + ", script: 'echo $(( $(tasks.pick.result) * 2 ))'}\n"));

    FlowDecision decision = world.pass();

    assertThat(decision.create()).isEmpty();
    assertThat(decision.status().message())
        .isEqualTo(
            "invalid spec: task \"double\" script uses $(tasks.pick.result) inside $((...)), where"
                + " a shell may run a value as code; assign it to a variable and check that it is a"
                + " number first");
  }

  @Test
  void anInvalidFlowFailsWithEveryProblemAndStartsNothing() {
    World world =
        new World(
            flow("tasks:\n" + task("a", "  dependsOn: [b]\n") + task("b", "  dependsOn: [a]\n")));

    FlowDecision decision = world.pass();

    assertThat(decision.create()).isEmpty();
    assertThat(decision.status().phase()).isEqualTo(RunPhase.Failed);
    assertThat(decision.status().reason()).isEqualTo("InvalidSpec");
    assertThat(decision.status().message()).contains("cycle");
    assertThat(decision.events()).singleElement().satisfies(e -> assertThat(e.warning()).isTrue());
  }
}
