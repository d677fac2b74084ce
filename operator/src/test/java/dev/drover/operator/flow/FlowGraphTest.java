package dev.drover.operator.flow;

import static dev.drover.operator.flow.FlowFixtures.flow;
import static dev.drover.operator.flow.FlowFixtures.script;
import static dev.drover.operator.flow.FlowFixtures.task;
import static dev.drover.operator.flow.FlowFixtures.taskRef;
import static dev.drover.operator.flow.FlowFixtures.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.api.flow.FlowTask;
import dev.drover.api.flow.FlowTaskPhase;
import dev.drover.api.flow.TaskFlowSpec;
import dev.drover.api.flow.WhenExpression;
import dev.drover.api.flow.WhenExpression.Operator;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.TaskRunSpec;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FlowGraphTest {
  /**
   * List the databases, dump each on whichever host has room, verify the dumps, upload them; page
   * someone if a dump or a verification fails, and always report.
   */
  private static final TaskFlowSpec NIGHTLY_BACKUP =
      flow(
          List.of(
              task("list")
                  .spec(script("psql -Atc 'select json_agg(datname) from pg_database'"))
                  .build(),
              task("dump")
                  .dependsOn("list")
                  .itemsFrom("$(tasks.list.result)")
                  .spec(
                      TaskRunSpec.builder()
                          .dispatch(Dispatch.Distribute)
                          .script("pg_dump $(item) > /backups/$(item).sql")
                          .build())
                  .build(),
              task("verify")
                  .dependsOn("dump")
                  .spec(script("check-dumps $(tasks.list.result) $(dependsOn.results)"))
                  .build(),
              task("upload")
                  .dependsOn("verify")
                  .taskRef(taskRef("s3-upload", Map.of("databases", "$(tasks.list.result)")))
                  .spec(null)
                  .build(),
              task("page")
                  .depends("dump.Failed || verify.Failed")
                  .taskRef(taskRef("pager", Map.of("text", "backup failed")))
                  .build()),
          List.of(
              task("report")
                  .when(when("$(tasks.list.result)", Operator.NotIn, "[]"))
                  .spec(script("report $(tasks.verify.result) $(tasks.upload.result)"))
                  .build()));

  @Test
  void aNightlyBackupHasNoProblem() {
    assertThat(FlowProblems.of(NIGHTLY_BACKUP)).isEmpty();
  }

  @Nested
  class Problems {
    @Test
    void aFlowNeedsATask() {
      assertThat(FlowProblems.of(flow(List.of(), List.of(task("report").build()))))
          .containsExactly("a flow needs at least one task");
    }

    @Test
    void aFlowHasAtMost200TasksAndIsNotExaminedFurtherWhenLarger() {
      List<FlowTask> tasks =
          IntStream.range(0, 250).mapToObj(i -> task("t" + i).spec(null).build()).toList();

      assertThat(FlowProblems.of(flow(tasks, List.of())))
          .containsExactly("a flow has at most 200 tasks; this one has 250");
    }

    @Test
    void aFlowHasAtMost50FinallyTasks() {
      List<FlowTask> finals = IntStream.range(0, 60).mapToObj(i -> task("f" + i).build()).toList();

      assertThat(FlowProblems.of(flow(List.of(task("a").build()), finals)))
          .containsExactly("a flow has at most 50 finally tasks; this one has 60");
    }

    @Test
    void everyTaskHasAUniqueDnsLabelForAName() {
      TaskFlowSpec spec =
          flow(
              List.of(
                  task("dump").build(),
                  task(null).build(),
                  task("Dump").build(),
                  task("verify").build(),
                  task("verify").build()),
              List.of(task(null).build(), task("dump").build(), task("verify").build()));

      assertThat(FlowProblems.of(spec))
          .containsExactly(
              "task #2 has no name",
              "task name \"Dump\" is not a DNS label of at most 40 characters",
              "finally task #1 has no name",
              "task name \"dump\" is used twice",
              "task name \"verify\" is used 3 times");
    }

    @Test
    void aTaskNeedsATaskRefOrASpecAndMayHaveBoth() {
      TaskFlowSpec spec =
          flow(
              task("dump").spec(null).build(),
              task("upload").taskRef(taskRef("s3-upload", null)).build());

      assertThat(FlowProblems.of(spec)).containsExactly("task \"dump\" needs a taskRef or a spec");
    }

    @Test
    void aTaskUsesDependsOnOrDependsNotBoth() {
      TaskFlowSpec spec =
          flow(
              task("list").build(),
              task("dump").dependsOn("list").depends("list.Succeeded").build());

      assertThat(FlowProblems.of(spec))
          .containsExactly("task \"dump\" sets both dependsOn and depends; use one of them");
    }

    @Test
    void aTaskDependsOnOtherMainTasks() {
      TaskFlowSpec spec =
          flow(
              List.of(
                  task("dump").dependsOn("lsit", "dump").build(),
                  task("page").depends("dump.Failed || report.Done").build()),
              List.of(task("report").build()));

      assertThat(FlowProblems.of(spec))
          .containsExactly(
              "task \"dump\" depends on unknown task \"lsit\"",
              "task \"dump\" depends on itself",
              "task \"page\" depends on finally task \"report\", which runs after it");
    }

    @Test
    void aDependsThatDoesNotParseIsExplainedAndNothingElseIsGuessedAboutIt() {
      TaskFlowSpec spec =
          flow(
              task("list").build(),
              task("page")
                  .depends("list.Finished")
                  .spec(script("echo $(tasks.list.result)"))
                  .build());

      assertThat(FlowProblems.of(spec))
          .containsExactly(
              "task \"page\": depends \"list.Finished\": unknown state \"Finished\" at column 6;"
                  + " use Succeeded, Failed, Skipped or Done");
    }

    @Test
    void cyclesAreNamedInTheOrderTheTasksWait() {
      TaskFlowSpec spec =
          flow(
              task("a").dependsOn("c").build(),
              task("b").dependsOn("a").build(),
              task("c").depends("b.Done").build(),
              task("d").dependsOn("e").build(),
              task("e").depends("d || a").build());

      assertThat(FlowProblems.of(spec))
          .containsExactly("dependency cycle: a → c → b → a", "dependency cycle: d → e → d");
    }

    @Test
    void aFinallyTaskWaitsForNothingAndDistributesNothing() {
      TaskFlowSpec spec =
          flow(
              List.of(task("list").build()),
              List.of(
                  task("report")
                      .dependsOn("list")
                      .depends("list.Done")
                      .itemsFrom("$(tasks.list.result)")
                      .build()));

      assertThat(FlowProblems.of(spec))
          .containsExactly(
              "task \"report\" is a finally task, so it cannot use dependsOn",
              "task \"report\" is a finally task, so it cannot use depends",
              "task \"report\" is a finally task, so it cannot use itemsFrom");
    }

    @Test
    void aResultIsUsedOnlyBelowTheTaskThatGivesIt() {
      TaskFlowSpec spec =
          flow(
              List.of(
                  task("list").build(),
                  task("dump").build(),
                  task("verify")
                      .dependsOn("dump")
                      .spec(
                          script(
                              "check $(tasks.list.result) $(tasks.verify.result)"
                                  + " $(tasks.lsit.result) $(tasks.report.result)"))
                      .build()),
              List.of(task("report").build()));

      assertThat(FlowProblems.of(spec))
          .containsExactly(
              "task \"verify\" uses $(tasks.list.result) but does not depend on \"list\"",
              "task \"verify\" uses its own result $(tasks.verify.result)",
              "task \"verify\" uses $(tasks.lsit.result) but there is no task \"lsit\"",
              "task \"verify\" uses $(tasks.report.result) of finally task \"report\"; only"
                  + " results of main tasks can be used");
    }

    @Test
    void aResultIsLookedForInParamsGuardsAndItemsFromToo() {
      TaskFlowSpec spec =
          flow(
              task("list").build(),
              task("count").build(),
              task("check").build(),
              task("dump")
                  .taskRef(
                      taskRef(
                          "pg-dump",
                          Map.of("b", "$(tasks.list.result)", "a", "$(tasks.count.result)")))
                  .spec(null)
                  .when(when("$(tasks.check.result)", Operator.In, "ok"))
                  .itemsFrom("$(tasks.list.result)")
                  .build());

      assertThat(FlowProblems.of(spec))
          .containsExactly(
              "task \"dump\" uses $(tasks.count.result) but does not depend on \"count\"",
              "task \"dump\" uses $(tasks.list.result) but does not depend on \"list\"",
              "task \"dump\" uses $(tasks.check.result) but does not depend on \"check\"");
    }

    @Test
    void aTaskMayUseTheResultOfAnyTaskItWaitsForHoweverFarUp() {
      TaskFlowSpec spec =
          flow(
              task("list").build(),
              task("dump").dependsOn("list").build(),
              task("page")
                  .depends("dump.Failed")
                  .spec(script("echo $(tasks.list.result)"))
                  .build());

      assertThat(FlowProblems.of(spec)).isEmpty();
    }

    @Test
    void aFinallyTaskMayUseTheResultOfAnyMainTaskButNotOfAnotherFinallyTask() {
      TaskFlowSpec spec =
          flow(
              List.of(task("list").build(), task("dump").build()),
              List.of(
                  task("report")
                      .spec(script("echo $(tasks.list.result) $(tasks.dump.result)"))
                      .build(),
                  task("notify").spec(script("echo $(tasks.report.result)")).build()));

      assertThat(FlowProblems.of(spec))
          .containsExactly(
              "task \"notify\" uses $(tasks.report.result) of finally task \"report\"; only"
                  + " results of main tasks can be used");
    }

    @Test
    void theResultsOfDependsOnNeedADependsOnList() {
      TaskFlowSpec spec =
          flow(
              task("dump").build(),
              task("verify").dependsOn("dump").spec(script("check $(dependsOn.results)")).build(),
              task("page")
                  .depends("dump.Failed")
                  .spec(script("echo $(dependsOn.results)"))
                  .build());

      assertThat(FlowProblems.of(spec))
          .containsExactly("task \"page\" uses $(dependsOn.results) but has no dependsOn");
    }

    @Test
    void itemsFromIsOneResultAlone() {
      TaskFlowSpec spec =
          flow(
              task("list").build(),
              task("dump").dependsOn("list").itemsFrom("$(tasks.list.result),extra").build(),
              task("load").dependsOn("list").itemsFrom("tasks.list.result").build(),
              task("copy").dependsOn("list").itemsFrom("$(params.databases)").build());

      assertThat(FlowProblems.of(spec))
          .containsExactly(
              "task \"dump\": itemsFrom must be $(tasks.NAME.result), not"
                  + " \"$(tasks.list.result),extra\"",
              "task \"load\": itemsFrom must be $(tasks.NAME.result), not \"tasks.list.result\"",
              "task \"copy\": itemsFrom must be $(tasks.NAME.result), not \"$(params.databases)\"");
    }

    @Test
    void aTaskWithItemsFromDistributesThoseItemsAlone() {
      TaskRunSpec broadcast = TaskRunSpec.builder().dispatch(Dispatch.Broadcast).build();
      TaskRunSpec listed =
          TaskRunSpec.builder().dispatch(Dispatch.Distribute).items(List.of("app")).build();
      TaskFlowSpec spec =
          flow(
              task("list").build(),
              task("dump")
                  .dependsOn("list")
                  .itemsFrom("$(tasks.list.result)")
                  .spec(broadcast)
                  .build(),
              task("load")
                  .dependsOn("list")
                  .itemsFrom("$(tasks.list.result)")
                  .spec(listed)
                  .build());

      assertThat(FlowProblems.of(spec))
          .containsExactly(
              "task \"dump\" has itemsFrom, so it cannot set dispatch Broadcast",
              "task \"load\" has itemsFrom, so it cannot also list items");
    }

    @Test
    void aGuardNeedsAnInputAnOperatorAndAValue() {
      TaskFlowSpec spec =
          flow(
              task("deploy")
                  .when(
                      when("$(params.env)", Operator.In, "prod"),
                      new WhenExpression(null, Operator.In, List.of("x")),
                      new WhenExpression("$(params.env)", null, List.of()))
                  .build());

      assertThat(FlowProblems.of(spec))
          .containsExactly(
              "task \"deploy\": when[1] needs an input",
              "task \"deploy\": when[2] needs an operator, In or NotIn",
              "task \"deploy\": when[2] needs at least one value");
    }

    @Test
    void problemsComeTaskByTaskInSpecOrder() {
      TaskFlowSpec spec =
          flow(
              List.of(
                  task("b").dependsOn("x").spec(null).build(), task("a").dependsOn("y").build()),
              List.of(task("c").dependsOn("a").build()));

      assertThat(FlowProblems.of(spec))
          .containsExactly(
              "task \"b\" needs a taskRef or a spec",
              "task \"b\" depends on unknown task \"x\"",
              "task \"a\" depends on unknown task \"y\"",
              "task \"c\" is a finally task, so it cannot use dependsOn");
    }

    @Test
    void aMissingSpecIsAProblemNotAnException() {
      assertThat(FlowProblems.of(null)).containsExactly("spec is required");
    }
  }

  @Nested
  class Structure {
    /** a, then b and c (on a's success), then d: when b succeeded or c settled either way. */
    private final FlowGraph diamond =
        FlowGraph.of(
            flow(
                List.of(
                    task("a").build(),
                    task("b").dependsOn("a").build(),
                    task("c").depends("a").build(),
                    task("d").depends("b.Succeeded || c.Done").build()),
                List.of(task("report").build())));

    @Test
    void keepsTheTasksInSpecOrder() {
      assertThat(diamond.tasks()).extracting(FlowTask::name).containsExactly("a", "b", "c", "d");
      assertThat(diamond.finallyTasks()).extracting(FlowTask::name).containsExactly("report");
    }

    @Test
    void aConditionIsTheDependsOrTheSuccessOfEveryDependsOn() {
      assertThat(diamond.condition("a")).hasToString("");
      assertThat(diamond.condition("b")).hasToString("a.Succeeded");
      assertThat(diamond.condition("c")).hasToString("a");
      assertThat(diamond.condition("d")).hasToString("b.Succeeded || c.Done");
      assertThat(diamond.condition("report").evaluate(task -> FlowTaskPhase.Running))
          .hasValue(true);
      assertThatThrownBy(() -> diamond.condition("e")).hasMessage("no task \"e\" in this flow");
    }

    @Test
    void upstreamIsEveryTaskWaitedForInSpecOrder() {
      assertThat(diamond.upstream("d")).containsExactly("a", "b", "c");
      assertThat(diamond.upstream("b")).containsExactly("a");
      assertThat(diamond.upstream("a")).isEmpty();
      assertThat(diamond.upstream("report")).isEmpty();
    }

    @Test
    void dependentsAreTheTasksWaitingDirectly() {
      assertThat(diamond.dependents("a")).containsExactly("b", "c");
      assertThat(diamond.dependents("c")).containsExactly("d");
      assertThat(diamond.dependents("d")).isEmpty();
    }

    @Test
    void aFailureIsHandledWhenAConditionNamesItAsFailedOrDone() {
      assertThat(diamond.handled("c")).isTrue();
      assertThat(diamond.handled("b")).isFalse();
      assertThat(diamond.handled("a")).isFalse();
      assertThat(FlowGraph.of(NIGHTLY_BACKUP).handled("dump")).isTrue();
    }

    @Test
    void aFlowWithProblemsHasNoGraph() {
      assertThatThrownBy(() -> FlowGraph.of(flow(task("a").dependsOn("a", "b").build())))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("task \"a\" depends on itself; task \"a\" depends on unknown task \"b\"");
    }
  }
}
