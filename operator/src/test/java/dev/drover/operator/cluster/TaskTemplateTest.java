package dev.drover.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drover.api.task.Task;
import dev.drover.api.task.TaskSpec;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import io.fabric8.kubernetes.api.model.Condition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs that name a Task, on the CRUD mock API with real agent processes: the template runs with the
 * run's params, is resolved once and recorded, and each way of naming it wrongly fails the run with
 * one sentence.
 */
class TaskTemplateTest extends ClusterTest {
  private static final String PG_DUMP =
      """
      apiVersion: drover.dev/v1alpha1
      kind: Task
      metadata: {name: pg-dump}
      spec:
        description: Dumps one database
        params:
          - {name: database, required: true}
          - {name: level, default: info, enum: [info, debug]}
        template:
          selector: {matchLabels: {role: scanner}}
          dispatch: Single
          script: |
            # the dump's header; it's what a real dump would begin with
            printf 'dump of %s at level %s\\n' $(params.database) "$(params.level)"
      """;

  @Override
  void startAgents() {
    cluster.startScanners(1, 2);
  }

  private TaskRun runOf(String name, String task, String params) {
    return cluster.apply(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: %s}
        spec:
          taskRef: {name: %s, params: %s}
        """
            .formatted(name, task, params));
  }

  @Test
  void aRunNamingATaskRunsItsTemplateWithTheParamsAndRecordsTheResolvedSpec() {
    cluster.applyTask(PG_DUMP);
    runOf("dump-orders", "pg-dump", "{database: \"orders `id`; 'x' \\\"y\\\" *\"}");

    TaskRun run = cluster.awaitPhase("dump-orders", RunPhase.Succeeded);

    assertThat(run.getStatus().results())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.message())
                    .isEqualTo("dump of orders `id`; 'x' \"y\" * at level info\n"));
    assertThat(run.getStatus().resolvedSpec().script())
        .isEqualTo(
            "# the dump's header; it's what a real dump would begin with\n"
                + "printf 'dump of %s at level %s\\n' \"${DROVER_PARAM_DATABASE}\""
                + " \"${DROVER_PARAM_LEVEL}\"\n");
    assertThat(run.getStatus().resolvedSpec().taskRef()).isNull();
    assertThat(run.getSpec().script()).as("the run's own spec is left as written").isNull();
    assertThat(cluster.executions("dump-orders")).hasSize(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          # case           | task      | params                          | message
          missing Task     | no-such   | {database: orders}              | invalid spec: Task "no-such" not found
          unknown param    | pg-dump   | {database: orders, db: x}       | invalid spec: unknown param "db" for Task "pg-dump"; it takes database, level
          missing required | pg-dump   | {level: debug}                  | invalid spec: param "database" of Task "pg-dump" is required
          value not in enum| pg-dump   | {database: orders, level: loud} | invalid spec: param "level" is "loud"; Task "pg-dump" allows info, debug
          """)
  void aRunThatNamesItsTaskWronglyFailsInvalidSpecWithoutRunningAnything(
      String scenario, String task, String params, String message) {
    cluster.applyTask(PG_DUMP);
    runOf("wrong", task, params);

    TaskRun run = cluster.awaitPhase("wrong", RunPhase.Failed);

    assertThat(run.getStatus().reason()).isEqualTo("InvalidSpec");
    assertThat(run.getStatus().message()).isEqualTo(message);
    assertThat(run.getStatus().resolvedSpec()).isNull();
    assertThat(cluster.executions("wrong")).isEmpty();
    assertThat(cluster.eventReasons("wrong")).containsExactly("InvalidSpec");
  }

  @Test
  void anEditOfTheTaskWhileTheRunIsRunningDoesNotChangeWhatItRuns() {
    cluster.applyTask(
        """
        apiVersion: drover.dev/v1alpha1
        kind: Task
        metadata: {name: slow}
        spec:
          params: [{name: word, default: first}]
          template:
            selector: {matchLabels: {role: scanner}}
            dispatch: Single
            script: sleep 3; echo "v1 $(params.word)"
        """);
    runOf("slow-run", "slow", "{}");
    cluster.awaitPhase("slow-run", RunPhase.Running);
    String resolvedAtStart = cluster.get("slow-run").getStatus().resolvedSpec().script();

    cluster
        .client()
        .resources(Task.class)
        .inNamespace(DroverCluster.NAMESPACE)
        .withName("slow")
        .edit(
            t -> {
              TaskSpec spec = t.getSpec();
              t.setSpec(
                  new TaskSpec(
                      spec.description(),
                      spec.params(),
                      spec.template().toBuilder().script("echo \"v2 $(params.word)\"").build()));
              return t;
            });

    TaskRun run = cluster.awaitPhase("slow-run", RunPhase.Succeeded);
    assertThat(run.getStatus().results())
        .singleElement()
        .satisfies(r -> assertThat(r.message()).isEqualTo("v1 first\n"));
    assertThat(run.getStatus().resolvedSpec().script())
        .isEqualTo(resolvedAtStart)
        .isEqualTo("sleep 3; echo \"v1 ${DROVER_PARAM_WORD}\"");
  }

  @Test
  void aTaskIsMarkedValidOrNotWithItsProblemsAndAnEvent() {
    cluster.applyTask(PG_DUMP);
    cluster.applyTask(
        """
        apiVersion: drover.dev/v1alpha1
        kind: Task
        metadata: {name: broken}
        spec:
          params: [{name: database}]
          template:
            script: pg_dump $(params.nope) $(params.database)
        """);

    await()
        .atMost(DroverCluster.PATIENCE)
        .untilAsserted(
            () -> {
              assertThat(valid(cluster.task("pg-dump")))
                  .extracting(Condition::getStatus, Condition::getReason)
                  .containsExactly("True", "Valid");
              assertThat(valid(cluster.task("broken")))
                  .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
                  .containsExactly(
                      "False",
                      "InvalidTemplate",
                      "template refers to $(params.nope), which no param declares");
            });
    Task broken = cluster.task("broken");
    assertThat(broken.getStatus().problems())
        .containsExactly("template refers to $(params.nope), which no param declares");
    assertThat(broken.getStatus().observedGeneration())
        .isEqualTo(broken.getMetadata().getGeneration());
    assertThat(cluster.task("pg-dump").getStatus().problems()).isNull();
    await()
        .atMost(DroverCluster.PATIENCE)
        .until(() -> cluster.eventReasons("broken").contains("InvalidTemplate"));
    assertThat(cluster.eventReasons("pg-dump")).isEmpty();
  }

  private static Condition valid(Task task) {
    assertThat(task.getStatus()).as("status of %s", task.getMetadata().getName()).isNotNull();
    return task.getStatus().conditions().stream()
        .filter(c -> c.getType().equals("Valid"))
        .findFirst()
        .orElseThrow();
  }
}
