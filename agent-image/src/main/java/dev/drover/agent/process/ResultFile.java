package dev.drover.agent.process;

import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecutionStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The file a command may leave its result in, named to it by DROVER_RESULT: created empty before
 * the command starts, read once it has exited, deleted at the end of the run.
 */
final class ResultFile implements AutoCloseable {
  /** The largest result an agent records; a larger file fails the attempt. */
  static final int LIMIT_BYTES = 16 * 1024;

  private final Path path;

  private ResultFile(Path path) {
    this.path = path;
  }

  /** Creates the file; one that exists already is never shared, so this fails instead. */
  static ResultFile create(Path path) throws IOException {
    return new ResultFile(Files.createFile(path));
  }

  /**
   * The outcome of a command that exited by itself, with the result it left: Failed with
   * ResultTooLarge, whatever its exit code, if the file is over the limit. At most one byte past
   * the limit is read.
   */
  ProcessOutcome settle(ProcessOutcome exited) {
    byte[] head;
    long size;
    try {
      BasicFileAttributes file =
          Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!file.isRegularFile()) {
        return exited; // a pipe or a link put in its place is not followed: it may never end
      }
      try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
        head = in.readNBytes(LIMIT_BYTES + 1);
      }
      size = Math.max(file.size(), head.length);
    } catch (IOException e) {
      return exited; // the command deleted it: no result
    }
    if (size > LIMIT_BYTES) {
      return new ProcessOutcome(
          ExecutionPhase.Failed,
          exited.exitCode(),
          "ResultTooLarge",
          "result file is "
              + size
              + " bytes; the limit is "
              + LIMIT_BYTES
              + " ("
              + LIMIT_BYTES / 1024
              + " KiB)\n"
              + exited.output());
    }
    return exited.withResult(
        TaskExecutionStatus.resultOf(new String(head, StandardCharsets.UTF_8)));
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // left in the agent's private directory, which nobody else reads
    }
  }
}
