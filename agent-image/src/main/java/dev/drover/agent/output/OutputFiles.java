package dev.drover.agent.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files of one execution's output: the bytes, an index of when each chunk of them arrived
 * (lines "offset epochMillis"), and a marker present when the output was cut at the limit.
 */
record OutputFiles(Path log, Path index, Path truncatedMarker) {
  static final String LOG_SUFFIX = ".log";

  static OutputFiles of(Path directory, String namespace, String name) {
    Path dir = directory.resolve(namespace);
    return new OutputFiles(
        dir.resolve(name + LOG_SUFFIX), dir.resolve(name + ".idx"), dir.resolve(name + ".cut"));
  }

  /** The files of the output whose bytes are {@code log}. */
  static OutputFiles ofLog(Path log) {
    String name = log.getFileName().toString();
    return of(
        log.getParent().getParent(),
        log.getParent().getFileName().toString(),
        name.substring(0, name.length() - LOG_SUFFIX.length()));
  }

  boolean truncated() {
    return Files.exists(truncatedMarker);
  }

  /** The bytes of output kept. */
  long size() {
    return sizeOf(log);
  }

  /** What these files take on disk, counted against the total. */
  long diskBytes() {
    return sizeOf(log) + sizeOf(index) + sizeOf(truncatedMarker);
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0; // absent, or removed meanwhile
    }
  }

  void delete() throws IOException {
    Files.deleteIfExists(log);
    Files.deleteIfExists(index);
    Files.deleteIfExists(truncatedMarker);
  }
}
