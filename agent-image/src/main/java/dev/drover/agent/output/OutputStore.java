package dev.drover.agent.output;

import dev.drover.agent.process.OutputSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole output of every execution this agent ran, on its own disk (never in the API server), by
 * namespace and execution name. Bounded per execution and in total: past the total, the output of
 * finished executions goes, oldest first; a running execution's output is never removed.
 */
public final class OutputStore {
  private static final Logger log = LoggerFactory.getLogger(OutputStore.class);

  /** Kubernetes object names: what keeps a name from the URL inside the directory. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  private final OutputSettings settings;
  private final Clock clock;
  private final Map<Path, OutputRecorder> live = new ConcurrentHashMap<>();

  public OutputStore(OutputSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    try {
      Files.createDirectories(settings.directory());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the output directory " + settings.directory() + " (--output-dir)", e);
    }
    removeOldestPastTheTotal();
  }

  public OutputSettings settings() {
    return settings;
  }

  /** Whether a namespace or execution name from outside is a Kubernetes name. */
  public static boolean isName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * Starts keeping an execution's output; if its files cannot be created it keeps nothing (the tail
   * in status still shows the end).
   */
  public OutputSink record(String namespace, String name) {
    OutputFiles files = OutputFiles.of(settings.directory(), namespace, name);
    try {
      OutputRecorder recorder =
          new OutputRecorder(files, settings.maxBytes(), clock, () -> finished(files));
      live.put(files.log(), recorder);
      return recorder;
    } catch (IOException e) {
      log.warn("Cannot keep the output of {}/{}: {}", namespace, name, e.toString());
      return OutputSink.NONE;
    }
  }

  /** The output kept of an execution, if this agent holds any. */
  public Optional<StoredOutput> find(String namespace, String name) {
    OutputFiles files = OutputFiles.of(settings.directory(), namespace, name);
    OutputRecorder recorder = live.get(files.log());
    if (recorder == null && !Files.exists(files.log())) {
      return Optional.empty();
    }
    return Optional.of(new StoredOutput(files, recorder));
  }

  private void finished(OutputFiles files) {
    live.remove(files.log());
    removeOldestPastTheTotal();
  }

  private synchronized void removeOldestPastTheTotal() {
    List<Path> logs = logs();
    long total = logs.stream().map(OutputFiles::ofLog).mapToLong(OutputFiles::size).sum();
    List<Path> finishedOldestFirst =
        logs.stream()
            .filter(path -> !live.containsKey(path))
            .sorted(Comparator.comparing(OutputStore::modified))
            .toList();
    for (Path path : finishedOldestFirst) {
      if (total <= settings.totalBytes()) {
        return;
      }
      OutputFiles files = OutputFiles.ofLog(path);
      long size = files.size();
      try {
        files.delete();
        total -= size;
      } catch (IOException e) {
        log.warn("Cannot remove old output {}: {}", path, e.toString());
      }
    }
  }

  private List<Path> logs() {
    try (Stream<Path> paths = Files.walk(settings.directory(), 2)) {
      return paths
          .filter(p -> p.getFileName().toString().endsWith(OutputFiles.LOG_SUFFIX))
          .toList();
    } catch (IOException e) {
      log.warn("Cannot list {}: {}", settings.directory(), e.toString());
      return List.of();
    }
  }

  private static long modified(Path path) {
    try {
      return Files.getLastModifiedTime(path).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }
}
