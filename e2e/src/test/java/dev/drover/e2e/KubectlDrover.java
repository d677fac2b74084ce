package dev.drover.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The kubectl plugin as a user runs it: {@code kubectl drover ...}, found by kubectl on PATH, with
 * the credentials of one kubeconfig (given by KUBECONFIG: kubectl finds a plugin only when its name
 * comes before any flag).
 */
final class KubectlDrover {
  private static final Duration LIMIT = Duration.ofMinutes(3);

  private final Path launcherDirectory;
  private final Path kubeconfig;

  KubectlDrover(Path launcherDirectory, Path kubeconfig) {
    this.launcherDirectory = launcherDirectory;
    this.kubeconfig = kubeconfig;
  }

  /** What a finished command printed; stdout as bytes, for output that must match exactly. */
  record Result(int exitCode, byte[] stdout, String stderr) {
    String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out() + "\n--- stderr\n" + stderr;
    }
  }

  /** One line of a running command's stdout and when it arrived. */
  record TimedLine(Instant arrived, String text) {}

  /** Runs the command to its end. */
  Result run(String... args) throws IOException, InterruptedException {
    Process process = start(args);
    var stderr = readInBackground(process.getErrorStream());
    byte[] stdout = process.getInputStream().readAllBytes();
    if (!process.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "kubectl drover did not finish within " + LIMIT + ": " + List.of(args));
    }
    return new Result(process.exitValue(), stdout, stderr.join());
  }

  /** Starts the command; its stdout lines are collected, with their arrival times, as they come. */
  Running startCollecting(String... args) throws IOException {
    Process process = start(args);
    Running running = new Running(process, readInBackground(process.getErrorStream()));
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                  running.lines.add(new TimedLine(Instant.now(), line));
                }
              } catch (IOException e) {
                // the process is gone; what was read stays collected
              }
            },
            "kubectl-drover-stdout");
    reader.setDaemon(true);
    reader.start();
    return running;
  }

  /** A command still running, and the lines it has printed so far. */
  static final class Running {
    final Process process;
    final List<TimedLine> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> stderr;

    private Running(Process process, CompletableFuture<String> stderr) {
      this.process = process;
      this.stderr = stderr;
    }

    int awaitExit() throws InterruptedException {
      if (!process.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("kubectl drover did not finish within " + LIMIT);
      }
      return process.exitValue();
    }

    String stderr() {
      return stderr.join();
    }

    Optional<TimedLine> first(String text) {
      return lines.stream().filter(line -> line.text().equals(text)).findFirst();
    }
  }

  private Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("kubectl", "drover"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder
        .environment()
        .put("PATH", launcherDirectory + ":" + builder.environment().getOrDefault("PATH", ""));
    return builder.start();
  }

  private static CompletableFuture<String> readInBackground(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
          }
        });
  }
}
