package dev.drover.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * When each benchmark command started, as it recorded itself, in nanoseconds since the epoch, in a
 * file of {@code dir} named after its run: the one precise signal of a process start.
 */
record RecordedStarts(Path dir) {
  /** When the run's command started, as it recorded it. */
  long started(String run) throws IOException {
    return Long.parseLong(Files.readString(dir.resolve(run)).strip());
  }

  List<Long> betweenStart(List<String> runs, Map<String, Long> from) throws IOException {
    List<Long> values = new ArrayList<>();
    for (String run : runs) {
      values.add(started(run) - from.get(run));
    }
    return values;
  }

  List<Long> fromStart(List<String> runs, Map<String, Long> to) throws IOException {
    List<Long> values = new ArrayList<>();
    for (String run : runs) {
      values.add(to.get(run) - started(run));
    }
    return values;
  }

  long lastStart(Collection<String> runs) throws IOException {
    long last = Long.MIN_VALUE;
    for (String run : runs) {
      last = Math.max(last, started(run));
    }
    return last;
  }
}
