package dev.drover.operator.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.EnvEntry;
import dev.drover.api.task.Task;
import dev.drover.api.task.TaskParam;
import dev.drover.api.task.TaskSpec;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.Executor;
import dev.drover.api.taskrun.PodOptions;
import dev.drover.api.taskrun.TaskRef;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.operator.task.TaskResolver.Resolution;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A run that names a Task gets the Task's template, its own fields on top, its params put in. */
class TaskResolverTest {
  private static final LabelSelector DB_HOSTS =
      new LabelSelectorBuilder().addToMatchLabels("role", "db").build();

  /** pg-dump: database required; level defaults to info and is info or debug; format optional. */
  private static final TaskSpec PG_DUMP =
      new TaskSpec(
          "Dumps one database",
          List.of(
              new TaskParam("database", null, true, null, null),
              new TaskParam("level", null, null, "info", List.of("info", "debug")),
              new TaskParam("format", null, null, null, null)),
          TaskRunSpec.builder()
              .selector(DB_HOSTS)
              .dispatch(Dispatch.Single)
              .executor(Executor.Agent)
              .script(
                  "printf '%s|%s|%s' $(params.database) $(params.level) \"$(params.format)\""
                      + " > out")
              .env(List.of(new EnvEntry("PGHOST", "localhost")))
              .timeoutSeconds(600L)
              .build());

  @TempDir Path dir;

  private static Task task(String name, TaskSpec spec) {
    Task task = new Task();
    task.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ops").build());
    task.setSpec(spec);
    return task;
  }

  private static TaskRunSpec run(Map<String, String> params) {
    return TaskRunSpec.builder().taskRef(new TaskRef("pg-dump", params)).build();
  }

  private static Resolution resolve(Map<String, String> params) {
    return TaskResolver.resolve(run(params), task("pg-dump", PG_DUMP));
  }

  private static Map<String, String> params(String... namesAndValues) {
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      params.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return params;
  }

  private String output(Resolution resolution, String item) throws Exception {
    assertThat(resolution.problems()).isEmpty();
    AgentShell.Outcome outcome = AgentShell.run(resolution.spec(), item, dir);
    assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    return Files.readString(dir.resolve("out"));
  }

  @Test
  void theTemplateRunsWithTheGivenParamsAndTheDefaultsOfTheOthers() throws Exception {
    Resolution resolution = resolve(params("database", "orders"));

    assertThat(output(resolution, null)).isEqualTo("orders|info|");
    assertThat(resolution.spec().taskRef()).isNull();
    assertThat(resolution.spec().selector()).isEqualTo(DB_HOSTS);
    assertThat(resolution.spec().dispatch()).isEqualTo(Dispatch.Single);
    assertThat(resolution.spec().env())
        .containsExactly(
            new EnvEntry("DROVER_PARAM_DATABASE", "orders"),
            new EnvEntry("DROVER_PARAM_LEVEL", "info"),
            new EnvEntry("DROVER_PARAM_FORMAT", ""),
            new EnvEntry("PGHOST", "localhost"));
  }

  @Test
  void aGivenValueReplacesTheDefault() throws Exception {
    assertThat(output(resolve(params("database", "orders", "level", "debug")), null))
        .isEqualTo("orders|debug|");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          # given params                  | problem
          level=debug                     | param "database" of Task "pg-dump" is required
          database=a,level=loud           | param "level" is "loud"; Task "pg-dump" allows info, debug
          database=a,dbname=b             | unknown param "dbname" for Task "pg-dump"; it takes database, format, level
          """)
  void eachParamProblemIsOneSentence(String given, String problem) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : given.split(",")) {
      params.put(pair.split("=")[0], pair.split("=")[1]);
    }

    Resolution resolution = resolve(params);

    assertThat(resolution.spec()).isNull();
    assertThat(resolution.problems()).containsExactly(problem);
  }

  @Test
  void everyParamProblemIsNamedAtOnceUnknownNamesFirstInOrder() {
    assertThat(resolve(params("zone", "a", "dbname", "b", "level", "LOUD")).problems())
        .containsExactly(
            "unknown param \"dbname\" for Task \"pg-dump\"; it takes database, format, level",
            "unknown param \"zone\" for Task \"pg-dump\"; it takes database, format, level",
            "param \"database\" of Task \"pg-dump\" is required",
            "param \"level\" is \"LOUD\"; Task \"pg-dump\" allows info, debug");
  }

  @Test
  void aTaskWithoutParamsTakesNone() {
    TaskSpec hello =
        new TaskSpec(null, null, TaskRunSpec.builder().selector(DB_HOSTS).script("true").build());

    assertThat(
            TaskResolver.resolve(
                    TaskRunSpec.builder()
                        .taskRef(new TaskRef("hello", Map.of("who", "world")))
                        .build(),
                    task("hello", hello))
                .problems())
        .containsExactly("unknown param \"who\" for Task \"hello\", which takes none");
  }

  @Test
  void aMissingTaskIsAProblem() {
    assertThat(TaskResolver.resolve(run(params("database", "a")), null).problems())
        .containsExactly("Task \"pg-dump\" not found");
  }

  @Test
  void anInvalidTaskIsAProblemNamingWhatIsWrongWithIt() {
    TaskSpec broken =
        new TaskSpec(null, null, TaskRunSpec.builder().script("echo $(params.nope)").build());

    assertThat(TaskResolver.resolve(run(null), task("pg-dump", broken)).problems())
        .containsExactly(
            "Task \"pg-dump\" is invalid: template refers to $(params.nope), which no param"
                + " declares");
  }

  @Test
  void aRequiredParamWithADefaultNeedsNoValue() throws Exception {
    TaskSpec spec =
        new TaskSpec(
            null,
            List.of(new TaskParam("database", null, true, "postgres", null)),
            TaskRunSpec.builder()
                .selector(DB_HOSTS)
                .script("printf %s $(params.database) > out")
                .build());

    assertThat(output(TaskResolver.resolve(run(null), task("pg-dump", spec)), null))
        .isEqualTo("postgres");
  }

  @Test
  void theRunsOwnTopLevelFieldsReplaceTheTemplatesWhole() {
    LabelSelector replicas = new LabelSelectorBuilder().addToMatchLabels("role", "replica").build();
    TaskRunSpec own =
        run(params("database", "orders")).toBuilder()
            .selector(replicas)
            .timeoutSeconds(60L)
            .env(List.of(new EnvEntry("PGUSER", "backup")))
            .dispatch(Dispatch.Distribute)
            .items(List.of("1", "2"))
            .build();

    TaskRunSpec resolved = TaskResolver.resolve(own, task("pg-dump", PG_DUMP)).spec();

    assertThat(resolved.selector()).isEqualTo(replicas);
    assertThat(resolved.timeoutSeconds()).isEqualTo(60L);
    assertThat(resolved.dispatch()).isEqualTo(Dispatch.Distribute);
    assertThat(resolved.items()).containsExactly("1", "2");
    assertThat(resolved.env())
        .as("the template's PGHOST is replaced with the rest of its env")
        .containsExactly(
            new EnvEntry("DROVER_PARAM_DATABASE", "orders"),
            new EnvEntry("DROVER_PARAM_LEVEL", "info"),
            new EnvEntry("DROVER_PARAM_FORMAT", ""),
            new EnvEntry("PGUSER", "backup"));
    assertThat(resolved.script())
        .isEqualTo(
            "printf '%s|%s|%s' \"${DROVER_PARAM_DATABASE}\" \"${DROVER_PARAM_LEVEL}\""
                + " \"${DROVER_PARAM_FORMAT}\" > out");
  }

  @Test
  void aRunThatLeavesDispatchAndExecutorOutKeepsTheTemplatesAndOneThatSetsThemOverridesThem() {
    TaskSpec inPods =
        new TaskSpec(
            null,
            PG_DUMP.params(),
            PG_DUMP.template().toBuilder()
                .executor(Executor.Pod)
                .pod(
                    new PodOptions(
                        "postgres:16", null, null, null, null, null, null, null, null, null))
                .build());
    TaskRunSpec silent = run(params("database", "orders"));
    TaskRunSpec explicit = silent.toBuilder().dispatch(Dispatch.Broadcast).build();

    TaskRunSpec kept = TaskResolver.resolve(silent, task("pg-dump", inPods)).spec();
    TaskRunSpec overridden = TaskResolver.resolve(explicit, task("pg-dump", inPods)).spec();

    assertThat(kept.dispatch()).isEqualTo(Dispatch.Single);
    assertThat(kept.executor()).isEqualTo(Executor.Pod);
    assertThat(overridden.dispatch()).isEqualTo(Dispatch.Broadcast);
  }

  @Test
  void anItemInAParamValueIsEachUnitsItemAndIsNotHeldToTheEnum() throws Exception {
    TaskRunSpec distribute =
        run(params("database", "db-$(item)", "level", "$(item)")).toBuilder()
            .dispatch(Dispatch.Distribute)
            .items(List.of("debug"))
            .build();

    Resolution resolution = TaskResolver.resolve(distribute, task("pg-dump", PG_DUMP));

    assertThat(resolution.spec().env())
        .startsWith(
            new EnvEntry("DROVER_PARAM_DATABASE", "db-$(DROVER_ITEM)"),
            new EnvEntry("DROVER_PARAM_LEVEL", "$(DROVER_ITEM)"));
    assertThat(output(resolution, "debug")).isEqualTo("db-debug|debug|");
  }

  @Test
  void aValueThatLooksLikeCodeIsPassedAsData() throws Exception {
    Resolution resolution =
        resolve(params("database", "x; touch pwned", "format", "$(touch pwned)"));

    assertThat(output(resolution, null)).isEqualTo("x; touch pwned|info|$(touch pwned)");
    assertThat(dir.resolve("pwned")).doesNotExist();
  }
}
