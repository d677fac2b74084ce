package dev.drover.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.EnvEntry;
import dev.drover.api.execution.TaskExecutionSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineTest {
  private static TaskExecutionSpec spec(List<String> command, List<String> args, String script) {
    return TaskExecutionSpec.builder()
        .run("scan")
        .unit("item-0")
        .item("10.1.0.0/24")
        .attempt(2)
        .agent("node-a")
        .command(command)
        .args(args)
        .script(script)
        .env(List.of(new EnvEntry("LEVEL", "quick")))
        .build();
  }

  @Test
  void argumentsExpandDroverVariablesAndEnvLikeKubernetes() {
    CommandLine line =
        CommandLine.of(
            spec(
                List.of("nmap", "-sn"),
                List.of("$(DROVER_ITEM)", "--level=$(LEVEL)", "$$(LEVEL)", "$(UNKNOWN)"),
                null),
            "ops",
            "node-a");

    assertThat(line.argv())
        .containsExactly("nmap", "-sn", "10.1.0.0/24", "--level=quick", "$(LEVEL)", "$(UNKNOWN)");
  }

  @Test
  void everyCommandSeesTheDroverVariables() {
    CommandLine line = CommandLine.of(spec(List.of("true"), null, null), "ops", "node-a");

    assertThat(line.environment())
        .containsAllEntriesOf(
            Map.of(
                "DROVER_RUN", "scan",
                "DROVER_NAMESPACE", "ops",
                "DROVER_AGENT", "node-a",
                "DROVER_ATTEMPT", "2",
                "DROVER_ITEM", "10.1.0.0/24",
                "LEVEL", "quick"));
  }

  @Test
  void aScriptRunsUnderShWithoutExpansionByDrover() {
    CommandLine line =
        CommandLine.of(spec(null, null, "echo $(date) $DROVER_ITEM"), "ops", "node-a");

    assertThat(line.argv()).containsExactly("/bin/sh", "-c", "echo $(date) $DROVER_ITEM");
  }
}
