package dev.drover.agent.execution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where an agent's commands leave their result files: a directory that only this agent's user can
 * enter; it goes when the agent exits, its files having gone with their runs.
 */
final class ResultDirectory {
  private ResultDirectory() {}

  static Path create() {
    try {
      Path directory = Files.createTempDirectory("drover-results-");
      directory.toFile().deleteOnExit();
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for result files", e);
    }
  }
}
