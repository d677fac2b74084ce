package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The README's five-minute walkthrough, carried out as written against a real API server: every
 * command of its shell blocks run by bash from the repository root, in order, with its processes in
 * the background where the README puts them there, and each table the README prints compared with
 * what the command printed. Only the API server is started for it; the operator and the agents are
 * the ones the walkthrough starts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WalkthroughIT {
  static final String HEADING = "## Five-minute walkthrough";
  private static final Path ROOT =
      Path.of(System.getProperty("drover.root", "..")).toAbsolutePath().normalize();
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  private RealApiServer server;
  private Path work;
  private final List<Process> background = new ArrayList<>();

  @BeforeAll
  void startApiServer() throws IOException {
    work = Files.createDirectories(ROOT.resolve("e2e/target/e2e-work/WalkthroughIT"));
    Optional<RealApiServer> found = RealApiServer.find(work);
    if (found.isEmpty()) {
      System.err.println("[drover e2e] SKIPPED: " + RealApiServer.skipReason());
    }
    Assumptions.assumeTrue(found.isPresent(), RealApiServer::skipReason);
    server = found.get();
  }

  @Test
  void theWalkthroughWorksAsWritten() throws IOException {
    // The walkthrough's first sentence asks for the jars and the CRDs; the build running this test
    // has made the jars, and the CRDs are installed here as the sentence says.
    assertThat(ROOT.resolve("operator/target/drover-operator.jar")).exists();
    assertThat(ROOT.resolve("agent-image/target/drover-agent.jar")).exists();
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(readme).contains("`kubectl apply -f crds/`", "`mvn -B package -DskipTests`");
    assertThat(bash("kubectl apply -f crds/").exitCode).isZero();
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                bash("kubectl wait --for=condition=Established crd --all --timeout=10s").exitCode
                    == 0);

    int processLogs = 0;
    for (ReadmeWalkthrough.Block block : ReadmeWalkthrough.parse(readme, HEADING).blocks()) {
      Outcome last = null;
      for (String command : block.commands()) {
        if (command.endsWith("&")) {
          startInBackground(command.substring(0, command.length() - 1).strip(), processLogs++);
        } else {
          last = bash(command);
          assertThat(last.exitCode).as("%s printed:%n%s", command, last.output).isZero();
        }
      }
      if (block.expectedTable() != null) {
        assertPrintsTable(block, last);
      }
    }
  }

  /**
   * A person who sees agents still starting runs the command again: so does the test, until the
   * table is the README's or patience runs out.
   */
  private void assertPrintsTable(ReadmeWalkthrough.Block block, Outcome first) {
    String command = block.commands().get(block.commands().size() - 1);
    AtomicReference<String> printed = new AtomicReference<>(first.output);
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              if (ReadmeWalkthrough.sameTable(block.expectedTable(), printed.get())) {
                return true;
              }
              printed.set(bash(command).output);
              return ReadmeWalkthrough.sameTable(block.expectedTable(), printed.get());
            });
  }

  private record Outcome(int exitCode, String output) {}

  private Outcome bash(String command) throws IOException {
    Process process = shell(command).redirectErrorStream(true).start();
    try {
      if (!process.waitFor(3, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("did not finish within 3 minutes: " + command);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return new Outcome(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private void startInBackground(String command, int index) throws IOException {
    Path log = work.resolve("background-" + index + ".log");
    background.add(
        shell("exec " + command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
  }

  /** bash in the repository root, with the test's API server as the only cluster it knows. */
  private ProcessBuilder shell(String command) {
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(ROOT.toFile());
    builder.environment().put("KUBECONFIG", server.kubeconfig().toString());
    return builder;
  }

  @AfterAll
  void stopEverything() throws Exception {
    for (Process process : background) {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    if (server != null) {
      server.close();
    }
  }
}
