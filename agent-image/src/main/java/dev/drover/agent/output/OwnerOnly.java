package dev.drover.agent.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Output may hold secrets a command printed, and the API serves it only to callers allowed to get
 * the execution; on disk it is likewise readable by the agent's own user only (where the file
 * system knows POSIX permissions).
 */
final class OwnerOnly {
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private OwnerOnly() {}

  /** Creates the directories missing on the way to {@code directory}, each rwx for its owner. */
  static void createDirectories(Path directory) throws IOException {
    if (POSIX) {
      Files.createDirectories(directory, permissions("rwx------"));
    } else {
      Files.createDirectories(directory);
    }
  }

  /**
   * Creates {@code file}, readable and writable by its owner only, and opens it for writing. A file
   * already there is not taken over: whoever made it could read what goes into it.
   */
  static OutputStream create(Path file) throws IOException {
    Set<StandardOpenOption> options =
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return Channels.newOutputStream(
        POSIX
            ? Files.newByteChannel(file, options, permissions("rw-------"))
            : Files.newByteChannel(file, options));
  }

  private static FileAttribute<?> permissions(String symbolic) {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(symbolic));
  }
}
