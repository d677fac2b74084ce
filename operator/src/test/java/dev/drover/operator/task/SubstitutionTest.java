package dev.drover.operator.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.EnvEntry;
import dev.drover.api.taskrun.PodOptions;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.operator.task.Substitution.Binding;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values go into a spec as data: a script reads them from environment variables, command and args
 * refer to the variables as $(NAME), other fields get the text. The scripts below are run by
 * /bin/sh with the environment an agent would give them.
 */
class SubstitutionTest {
  @TempDir Path dir;

  private static TaskRunSpec script(String script) {
    return TaskRunSpec.builder().script(script).build();
  }

  private static TaskRunSpec apply(TaskRunSpec spec, String value) {
    return Substitution.apply(spec, List.of(Binding.param("value", value)));
  }

  /** Values a shell would treat as code, quotes, expansions, separators or patterns. */
  static Stream<String> hostileValues() {
    return Stream.of(
        "$(touch pwned)",
        "`touch pwned`",
        "\"; touch pwned; \"",
        "'; touch pwned; '",
        "'",
        "\"",
        "$HOME",
        "${HOME}",
        "line one\nline two",
        "*",
        "two  spaces",
        "\\",
        "\\n",
        "-n",
        "",
        "EOF\ntouch pwned",
        "$$");
  }

  /**
   * Spots a reference can stand in, each as a script that writes what it receives to the file
   * {@code out}, and what {@code out} then holds for a value v.
   */
  static Stream<Arguments> spots() {
    return Stream.of(
        Arguments.of("unquoted", "printf '%s' $(params.value) > out", "%s"),
        Arguments.of("double-quoted", "printf '%s' \"[$(params.value)]\" > out", "[%s]"),
        Arguments.of("single-quoted", "printf '%s' '[$(params.value)]' > out", "[%s]"),
        Arguments.of(
            "in a command substitution in double quotes",
            "printf '%s' \"$(printf '%s' $(params.value); echo .)\" > out",
            "%s."),
        Arguments.of(
            "in backquotes", "printf '%s' \"`printf '%s' $(params.value); echo .`\" > out", "%s."),
        Arguments.of(
            "after a comment with an apostrophe",
            "# don't expand it twice\nprintf '%s' $(params.value) > out",
            "%s"),
        Arguments.of("in a here-document", "cat > out <<EOF\n[$(params.value)]\nEOF\n", "[%s]\n"));
  }

  static Stream<Arguments> valuesInSpots() {
    return spots()
        .flatMap(
            spot ->
                hostileValues()
                    .map(
                        value -> Arguments.of(spot.get()[0], value, spot.get()[1], spot.get()[2])));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("valuesInSpots")
  void aValueReachesTheScriptLiterallyWhereverItsReferenceStands(
      String spot, String value, String script, String expected)
      throws IOException, InterruptedException {
    Files.writeString(dir.resolve("a-file-a-glob-would-find"), "");

    AgentShell.Outcome outcome = AgentShell.run(apply(script(script), value), null, dir);

    assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    assertThat(Files.readString(dir.resolve("out")))
        .isEqualTo(expected.replace("%s", value.replace("$$", "$")));
    assertThat(dir.resolve("pwned")).doesNotExist();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("hostileValues")
  void aValueReachesACommandAndItsArgsAsOneLiteralArgument(String value)
      throws IOException, InterruptedException {
    TaskRunSpec spec =
        TaskRunSpec.builder()
            .command(List.of("printf", "%s|%s"))
            .args(List.of("$(params.value)", "x$(params.value)y"))
            .build();

    AgentShell.Outcome outcome = AgentShell.run(apply(spec, value), null, dir);

    String literal = value.replace("$$", "$");
    assertThat(outcome.output()).isEqualTo(literal + "|x" + literal + "y");
    assertThat(dir.resolve("pwned")).doesNotExist();
  }

  @Test
  void commandAndArgsReferToTheVariableWhichTheEnvCarriesWithDollarsDoubled() {
    TaskRunSpec spec =
        TaskRunSpec.builder()
            .command(List.of("pg_dump", "--dbname=$(params.value)"))
            .args(List.of("$(params.value)", "$(item)"))
            .env(List.of(new EnvEntry("PGDATABASE", "$(params.value)")))
            .build();

    TaskRunSpec applied = apply(spec, "a$b");

    assertThat(applied.command()).containsExactly("pg_dump", "--dbname=$(DROVER_PARAM_VALUE)");
    assertThat(applied.args()).containsExactly("$(DROVER_PARAM_VALUE)", "$(DROVER_ITEM)");
    assertThat(applied.env())
        .containsExactly(
            new EnvEntry("DROVER_PARAM_VALUE", "a$$b"),
            new EnvEntry("PGDATABASE", "$(DROVER_PARAM_VALUE)"));
    assertThat(AgentShell.environment(applied, null))
        .containsEntry("DROVER_PARAM_VALUE", "a$b")
        .containsEntry("PGDATABASE", "a$b");
  }

  @Test
  void fieldsNoVariableReachesGetTheValuesText() {
    TaskRunSpec spec =
        TaskRunSpec.builder()
            .selector(
                new LabelSelectorBuilder().addToMatchLabels("role", "$(params.value)").build())
            .workingDir("/srv/$(params.value)")
            .pod(
                new PodOptions(
                    "postgres:$(params.value)",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null))
            .items(List.of("$(params.value)-1"))
            .script("true")
            .build();

    TaskRunSpec applied = apply(spec, "16 $$HOME");

    assertThat(applied.selector().getMatchLabels()).containsEntry("role", "16 $HOME");
    assertThat(applied.workingDir()).isEqualTo("/srv/16 $HOME");
    assertThat(applied.pod().image()).isEqualTo("postgres:16 $HOME");
    assertThat(applied.items()).containsExactly("16 $HOME-1");
    assertThat(applied.env()).as("no script, command or args uses the value").isNull();
  }

  @Test
  void unboundReferencesStayAsWritten() {
    TaskRunSpec spec =
        TaskRunSpec.builder()
            .script("echo $(date) $(params.unknown) $(tasks.a.result) $(dependsOn.results)")
            .args(List.of("$(params.unknown)", "$(HOME)"))
            .workingDir("/srv/$(params.unknown)")
            .build();

    TaskRunSpec applied = apply(spec, "v");

    assertThat(applied.script())
        .isEqualTo("echo $(date) $(params.unknown) $(tasks.a.result) $(dependsOn.results)");
    assertThat(applied.args()).containsExactly("$(params.unknown)", "$(HOME)");
    assertThat(applied.workingDir()).isEqualTo("/srv/$(params.unknown)");
    assertThat(applied.env()).isNull();
  }

  @Test
  void theItemReachesAScriptThroughTheAgentsVariable() throws Exception {
    TaskRunSpec applied = apply(script("printf '%s' \"item=$(item)\" > out"), "unused");

    assertThat(applied.script()).isEqualTo("printf '%s' \"item=${DROVER_ITEM}\" > out");
    assertThat(applied.env()).as("the agent sets DROVER_ITEM itself").isNull();
    AgentShell.run(applied, "db 7; $(touch pwned)", dir);
    assertThat(Files.readString(dir.resolve("out"))).isEqualTo("item=db 7; $(touch pwned)");
    assertThat(dir.resolve("pwned")).doesNotExist();
  }

  @Test
  void aParamValueMayHoldTheItemWhichTheAgentPutsInItsVariable() throws Exception {
    TaskRunSpec applied = apply(script("printf '%s' $(params.value) > out"), "db-$(item)-$$1");

    assertThat(applied.env())
        .containsExactly(new EnvEntry("DROVER_PARAM_VALUE", "db-$(DROVER_ITEM)-$$1"));
    AgentShell.run(applied, "7", dir);
    assertThat(Files.readString(dir.resolve("out"))).isEqualTo("db-7-$1");
  }

  @Test
  void theValuesVariablesComeBeforeTheSpecsOwnEnvWhichMayReferToThem() {
    TaskRunSpec spec =
        TaskRunSpec.builder()
            .script("echo $(params.value)")
            .env(List.of(new EnvEntry("URL", "postgres://$(DROVER_PARAM_VALUE)")))
            .build();

    TaskRunSpec applied = apply(spec, "db");

    assertThat(applied.env())
        .containsExactly(
            new EnvEntry("DROVER_PARAM_VALUE", "db"),
            new EnvEntry("URL", "postgres://$(DROVER_PARAM_VALUE)"));
    assertThat(AgentShell.environment(applied, null)).containsEntry("URL", "postgres://db");
  }

  @Test
  void aParamsVariableNameIsUppercaseWithEveryOtherCharacterAnUnderscore() {
    assertThat(Substitution.variableFor("PARAM", "db-name")).isEqualTo("DROVER_PARAM_DB_NAME");
    assertThat(Substitution.variableFor("PARAM", "Level_2")).isEqualTo("DROVER_PARAM_LEVEL_2");
  }

  @Test
  void aValuesOwnReferencesAreNotExpandedAgain() {
    TaskRunSpec spec = TaskRunSpec.builder().workingDir("$(params.a)").script("true").build();

    TaskRunSpec applied =
        Substitution.apply(
            spec, List.of(Binding.param("a", "$(params.b)"), Binding.param("b", "secret")));

    assertThat(applied.workingDir()).isEqualTo("$(params.b)");
  }
}
