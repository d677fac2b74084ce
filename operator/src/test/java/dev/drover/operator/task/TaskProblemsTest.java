package dev.drover.operator.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.task.TaskParam;
import dev.drover.api.task.TaskSpec;
import dev.drover.api.taskrun.TaskRef;
import dev.drover.api.taskrun.TaskRunSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What makes a Task template unusable, one sentence per problem. */
class TaskProblemsTest {
  private static TaskParam param(String name) {
    return new TaskParam(name, null, null, null, null);
  }

  private static TaskSpec task(String script, TaskParam... params) {
    return new TaskSpec("test", List.of(params), TaskRunSpec.builder().script(script).build());
  }

  @Test
  void aTemplateThatUsesOnlyItsParamsAndTheItemIsValid() {
    assertThat(
            TaskProblems.of(
                task("pg_dump $(params.db) > /backup/$(item).sql", param("db"), param("unused"))))
        .isEmpty();
  }

  @Test
  void aTaskNeedsATemplate() {
    assertThat(TaskProblems.of(new TaskSpec("no template", List.of(), null)))
        .containsExactly("spec.template is required");
    assertThat(TaskProblems.of(null)).containsExactly("spec.template is required");
  }

  @Test
  void eachProblemIsOneSentence() {
    TaskSpec spec =
        new TaskSpec(
            "everything wrong",
            List.of(
                param("db"),
                param("db"),
                param("db-name"),
                param("db_name"),
                new TaskParam("level", null, null, "loud", List.of("info", "debug"))),
            TaskRunSpec.builder()
                .taskRef(new TaskRef("other", null))
                .script(
                    "echo $(params.nope) $(tasks.list.result) $(dependsOn.results)"
                        + " $(( $(params.db) + 1 ))")
                .build());

    assertThat(TaskProblems.of(spec))
        .containsExactly(
            "param \"db\" is declared twice",
            "params \"db-name\" and \"db_name\" would both be passed as DROVER_PARAM_DB_NAME;"
                + " rename one",
            "param \"level\" has default \"loud\", which its enum does not allow",
            "template refers to $(params.nope), which no param declares",
            "template refers to $(tasks.list.result), which only a flow task can use; pass it to"
                + " the Task as a param",
            "template refers to $(dependsOn.results), which only a flow task can use; pass it to"
                + " the Task as a param",
            "script uses $(params.db) inside $((...)), where a shell may run a value as code;"
                + " assign it to a variable and check that it is a number first",
            "a Task template cannot itself use a taskRef");
  }

  @Test
  void referencesAreFoundInEveryStringOfTheTemplate() {
    TaskSpec spec =
        new TaskSpec(
            null,
            List.of(),
            TaskRunSpec.builder()
                .command(List.of("$(params.a)"))
                .workingDir("/srv/$(params.b)")
                .build());

    assertThat(TaskProblems.of(spec))
        .containsExactly(
            "template refers to $(params.a), which no param declares",
            "template refers to $(params.b), which no param declares");
  }

  @Test
  void aQuotedHereDocumentCannotTakeAValue() {
    assertThat(TaskProblems.of(task("cat <<'EOF'\n$(params.db)\nEOF", param("db"))))
        .containsExactly(
            "script uses $(params.db) in a here-document with a quoted delimiter, where nothing"
                + " is replaced; leave the delimiter unquoted");
  }
}
