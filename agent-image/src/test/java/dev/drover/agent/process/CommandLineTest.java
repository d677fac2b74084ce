package dev.drover.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.EnvEntry;
import dev.drover.api.execution.TaskExecutionSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineTest {
  private static final Path RESULT_FILE = Path.of("/var/tmp/drover-results/result-uid");

  private static TaskExecutionSpec spec(
      List<String> command, List<String> args, String script, List<EnvEntry> env) {
    return TaskExecutionSpec.builder()
        .run("scan")
        .unit("item-0")
        .item("10.1.0.0/24")
        .attempt(2)
        .agent("node-a")
        .command(command)
        .args(args)
        .script(script)
        .env(env)
        .build();
  }

  private static CommandLine of(TaskExecutionSpec spec) {
    return CommandLine.of(spec, "ops", "node-a", RESULT_FILE);
  }

  private static Map<String, String> environment(EnvEntry... env) {
    return of(spec(List.of("true"), null, null, List.of(env))).environment();
  }

  @Test
  void argumentsExpandDroverVariablesAndEnvLikeKubernetes() {
    CommandLine line =
        of(
            spec(
                List.of("nmap", "-sn"),
                List.of("$(DROVER_ITEM)", "--level=$(LEVEL)", "$$(LEVEL)", "$(UNKNOWN)"),
                null,
                List.of(new EnvEntry("LEVEL", "quick"))));

    assertThat(line.argv())
        .containsExactly("nmap", "-sn", "10.1.0.0/24", "--level=quick", "$(LEVEL)", "$(UNKNOWN)");
  }

  @Test
  void everyCommandSeesTheDroverVariablesAndItsResultFile() {
    CommandLine line =
        of(spec(List.of("true"), null, null, List.of(new EnvEntry("LEVEL", "quick"))));

    assertThat(line.environment())
        .containsAllEntriesOf(
            Map.of(
                "DROVER_RUN", "scan",
                "DROVER_NAMESPACE", "ops",
                "DROVER_AGENT", "node-a",
                "DROVER_ATTEMPT", "2",
                "DROVER_ITEM", "10.1.0.0/24",
                "DROVER_RESULT", RESULT_FILE.toString(),
                "LEVEL", "quick"));
    assertThat(line.resultFile()).isEqualTo(RESULT_FILE);
  }

  @Test
  void aScriptRunsUnderShWithoutExpansionByDrover() {
    CommandLine line = of(spec(null, null, "echo $(date) $DROVER_ITEM", null));

    assertThat(line.argv()).containsExactly("/bin/sh", "-c", "echo $(date) $DROVER_ITEM");
  }

  @Test
  void anEnvValueExpandsTheDroverVariables() {
    assertThat(environment(new EnvEntry("DROVER_PARAM_DB", "$(DROVER_ITEM)/main")))
        .containsEntry("DROVER_PARAM_DB", "10.1.0.0/24/main");
  }

  @Test
  void anEnvValueExpandsEntriesDefinedBeforeItButNotAfter() {
    assertThat(
            environment(
                new EnvEntry("HOST", "db-1"),
                new EnvEntry("URL", "postgres://$(HOST):$(PORT)"),
                new EnvEntry("PORT", "5432")))
        .containsEntry("URL", "postgres://db-1:$(PORT)")
        .containsEntry("PORT", "5432");
  }

  @Test
  void aDoubledDollarInAnEnvValueIsALiteralDollar() {
    assertThat(environment(new EnvEntry("PRICE", "$$5 for $$(DROVER_ITEM)")))
        .containsEntry("PRICE", "$5 for $(DROVER_ITEM)");
  }

  @Test
  void anEscapedValueStaysLiteralWhereverItIsReferenced() {
    CommandLine line =
        of(
            spec(
                List.of("echo"),
                List.of("$(DROVER_PARAM_NOTE)"),
                null,
                List.of(new EnvEntry("DROVER_PARAM_NOTE", "$$(rm -rf /) $$(DROVER_RESULT)"))));

    assertThat(line.environment())
        .containsEntry("DROVER_PARAM_NOTE", "$(rm -rf /) $(DROVER_RESULT)");
    assertThat(line.argv()).containsExactly("echo", "$(rm -rf /) $(DROVER_RESULT)");
  }

  @Test
  void theDroverVariablesWinOverEnvEntriesOfTheSameName() {
    assertThat(
            environment(
                new EnvEntry("DROVER_ITEM", "mine"), new EnvEntry("DROVER_RESULT", "/etc/passwd")))
        .containsEntry("DROVER_ITEM", "10.1.0.0/24")
        .containsEntry("DROVER_RESULT", RESULT_FILE.toString());
  }
}
