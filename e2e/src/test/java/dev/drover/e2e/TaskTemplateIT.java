package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Task templates on a real API server, applied and inspected with kubectl: a run naming a Task runs
 * its template with the params, each way of naming it wrongly shows in {@code kubectl describe},
 * and an edit of the Task does not reach a run already running.
 */
class TaskTemplateIT extends RealCluster {
  private static final String DB_DUMP = "db-dump";

  private void applyRun(String name, String taskRef) throws IOException {
    apply(
        name,
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: %s}
        spec:
          taskRef: %s
        """
            .formatted(name, taskRef));
  }

  @Test
  void theExampleRunsItsTaskOnceWithTheGivenDatabaseAndTheDefaultLevel() {
    kubectl.ok("apply", "-n", NS, "-f", example("task-template.yaml"));

    kubectl.ok(
        "wait", "-n", NS, "--for=condition=Succeeded", "taskrun/dump-orders", "--timeout=90s");

    assertThat(jsonPath("taskrun", "dump-orders", "{.status.results[*].message}"))
        .matches("dump of orders at level info on scanner-[123]");
    assertThat(jsonPath("taskrun", "dump-orders", "{.status.targets.total}"))
        .as("the template's dispatch Single holds: the run leaves dispatch out")
        .isEqualTo("1");
    assertThat(jsonPath("taskrun", "dump-orders", "{.spec.dispatch}"))
        .as("no schema default fills it in")
        .isEmpty();
    assertThat(
            jsonPath(
                "taskrun",
                "dump-orders",
                "{.status.resolvedSpec.dispatch} {.status.resolvedSpec.env[*].name}"))
        .isEqualTo("Single DROVER_PARAM_DATABASE DROVER_PARAM_LEVEL");
    assertThat(jsonPath("taskrun", "dump-orders", "{.status.resolvedSpec.script}"))
        .contains("echo \"dump of ${DROVER_PARAM_DATABASE} at level ${DROVER_PARAM_LEVEL} on");
    kubectl.ok("wait", "-n", NS, "--for=condition=Valid", "task/" + DB_DUMP, "--timeout=60s");
    String table = kubectl.ok("get", "task", DB_DUMP, "-n", NS);
    assertThat(table.lines().findFirst().orElseThrow()).contains("DESCRIPTION", "VALID");
    assertThat(table).containsPattern("db-dump\\s.*Dumps one database.*\\sTrue");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          # run               | taskRef                                                    | sentence
          no-such-task        | {name: db-restore, params: {database: orders}}             | Task "db-restore" not found
          unknown-param       | {name: db-dump, params: {database: orders, verbose: "1"}}  | unknown param "verbose" for Task "db-dump"; it takes database, level
          missing-database    | {name: db-dump, params: {level: debug}}                    | param "database" of Task "db-dump" is required
          level-not-allowed   | {name: db-dump, params: {database: orders, level: trace}}  | param "level" is "trace"; Task "db-dump" allows info, debug
          """)
  void aRunThatNamesItsTaskWronglyFailsInvalidSpecAndDescribeSaysWhy(
      String run, String taskRef, String sentence) throws IOException {
    kubectl.ok("apply", "-n", NS, "-f", example("task-template.yaml"));
    applyRun(run, taskRef);

    kubectl.ok("wait", "-n", NS, "--for=condition=Failed", "taskrun/" + run, "--timeout=60s");

    assertThat(jsonPath("taskrun", run, "{.status.reason} {.status.message}"))
        .isEqualTo("InvalidSpec invalid spec: " + sentence);
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(kubectl.ok("describe", "taskrun", run, "-n", NS))
                    .contains("Reason:", "InvalidSpec")
                    .contains("invalid spec: " + sentence)
                    .containsPattern(
                        "Warning\\s+InvalidSpec\\s+.*drover-operator\\s+invalid spec: "
                            + Pattern.quote(sentence)));
    assertThat(
            kubectl.ok(
                "get", "taskexecutions", "-n", NS, "-l", "drover.dev/run=" + run, "-o", "name"))
        .isBlank();
  }

  @Test
  void anEditOfTheTaskDoesNotReachARunAlreadyRunningButDoesReachTheNextRun() throws IOException {
    String task =
        """
        apiVersion: drover.dev/v1alpha1
        kind: Task
        metadata: {name: slow-greeting}
        spec:
          params: [{name: who, required: true}]
          template:
            selector: {matchLabels: {role: scanner}}
            dispatch: Single
            script: %s
        """;
    apply("slow-greeting", task.formatted("sleep 5; echo \"hello $(params.who)\""));
    applyRun("greet-first", "{name: slow-greeting, params: {who: world}}");
    await()
        .atMost(PATIENCE)
        .until(() -> jsonPath("taskrun", "greet-first", "{.status.phase}").equals("Running"));

    apply("slow-greeting", task.formatted("echo \"goodbye $(params.who)\""));
    applyRun("greet-second", "{name: slow-greeting, params: {who: world}}");

    kubectl.ok(
        "wait", "-n", NS, "--for=condition=Succeeded", "taskrun/greet-first", "--timeout=90s");
    kubectl.ok(
        "wait", "-n", NS, "--for=condition=Succeeded", "taskrun/greet-second", "--timeout=90s");
    assertThat(jsonPath("taskrun", "greet-first", "{.status.results[*].message}"))
        .isEqualTo("hello world");
    assertThat(jsonPath("taskrun", "greet-first", "{.status.resolvedSpec.script}"))
        .isEqualTo("sleep 5; echo \"hello ${DROVER_PARAM_WHO}\"");
    assertThat(jsonPath("taskrun", "greet-second", "{.status.results[*].message}"))
        .isEqualTo("goodbye world");
  }

  @Test
  void aTaskWhoseTemplateRefersToAnUndeclaredParamIsNotValid() throws IOException {
    apply(
        "broken-task",
        """
        apiVersion: drover.dev/v1alpha1
        kind: Task
        metadata: {name: broken}
        spec:
          params: [{name: database}]
          template:
            selector: {matchLabels: {role: scanner}}
            script: pg_dump $(params.nope)
        """);

    kubectl.ok("wait", "-n", NS, "--for=condition=Valid=False", "task/broken", "--timeout=60s");

    assertThat(jsonPath("task", "broken", "{.status.problems[*]}"))
        .isEqualTo("template refers to $(params.nope), which no param declares");
    assertThat(kubectl.ok("get", "task", "broken", "-n", NS))
        .containsPattern("broken\\s.*\\sFalse");
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(kubectl.ok("describe", "task", "broken", "-n", NS))
                    .containsPattern("Warning\\s+InvalidTemplate\\s+.*template refers to"));
    applyRun("uses-broken", "{name: broken, params: {database: orders}}");
    kubectl.ok("wait", "-n", NS, "--for=condition=Failed", "taskrun/uses-broken", "--timeout=60s");
    assertThat(jsonPath("taskrun", "uses-broken", "{.status.message}"))
        .isEqualTo(
            "invalid spec: Task \"broken\" is invalid: template refers to $(params.nope), which no"
                + " param declares");
  }
}
