package dev.drover.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.runtime.ProcessCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the agent answers flag values it cannot work with: one sentence and usage, exit code 2. */
class AgentMainTest {
  @TempDir Path dir;

  private final StringWriter stderr = new StringWriter();

  private int start(String... flags) {
    List<String> args =
        new ArrayList<>(List.of("--name", "node-a", "--namespaces", "ops", "--port", "0"));
    args.addAll(List.of(flags));
    return ProcessCommand.of(new AgentMain())
        .setErr(new PrintWriter(stderr, true))
        .execute(args.toArray(String[]::new));
  }

  private String firstLine() {
    return stderr.toString().lines().findFirst().orElse("");
  }

  @Test
  void theHelpNamesEveryFlagAboutOutput() {
    StringWriter stdout = new StringWriter();

    int exitCode =
        ProcessCommand.of(new AgentMain()).setOut(new PrintWriter(stdout, true)).execute("--help");

    assertThat(exitCode).isZero();
    assertThat(stdout.toString())
        .contains(
            "--output-dir",
            "--output-max-bytes",
            "--output-total-bytes",
            "--output-auth",
            "--output-tail-bytes",
            "--progress-interval",
            "--advertise-address");
  }

  @Test
  void aTotalSmallerThanOneExecutionsLimitIsRefusedBeforeAnythingStarts() {
    int exitCode =
        start(
            "--output-dir",
            dir.toString(),
            "--output-max-bytes",
            "2048",
            "--output-total-bytes",
            "1024");

    assertThat(exitCode).isEqualTo(2);
    assertThat(firstLine())
        .isEqualTo(
            "--output-total-bytes (1024) must be at least --output-max-bytes (2048): one"
                + " execution's output must fit");
    assertThat(stderr.toString()).doesNotContain("\tat ");
  }

  @Test
  void aSimulatedFleetNeedsAtLeastOneAgent() {
    assertThat(start("--output-dir", dir.toString(), "--simulate", "0")).isEqualTo(2);
    assertThat(firstLine()).isEqualTo("--simulate takes a number of agents from 1 up, got 0");
  }

  @Test
  void aLimitThatIsNotPositiveIsRefused() {
    assertThat(start("--output-dir", dir.toString(), "--output-max-bytes", "0")).isEqualTo(2);
    assertThat(firstLine()).isEqualTo("--output-max-bytes must be positive, got 0");
  }

  @Test
  void aProgressIntervalThatIsNotPositiveIsRefused() {
    assertThat(start("--output-dir", dir.toString(), "--progress-interval", "0")).isEqualTo(2);
    assertThat(firstLine()).isEqualTo("--progress-interval must be positive, got 0ms");
  }

  @Test
  void anOutputDirectoryThatCannotBeMadeIsNamed() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "in the way");

    int exitCode = start("--output-dir", file.resolve("output").toString());

    assertThat(exitCode).isEqualTo(2);
    assertThat(firstLine())
        .startsWith("cannot create the output directory " + file.resolve("output"));
    assertThat(firstLine()).contains("(--output-dir)");
  }

  @Test
  void anUnknownWayOfCheckingCallersIsRefusedWithTheKnownOnes() {
    assertThat(start("--output-dir", dir.toString(), "--output-auth", "token")).isEqualTo(2);
    assertThat(firstLine()).contains("--output-auth").contains("kubernetes, none");
  }
}
