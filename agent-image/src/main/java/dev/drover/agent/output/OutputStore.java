package dev.drover.agent.output;

import dev.drover.agent.process.OutputSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
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
 * namespace and execution name. Bounded per execution and in total: whenever the total is passed,
 * the output of finished executions goes, oldest first, even while a running one still grows; a
 * running execution's output is never removed.
 */
public final class OutputStore {
  private static final Logger log = LoggerFactory.getLogger(OutputStore.class);

  /** Kubernetes object names: what keeps a name from the URL inside the directory. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  private final OutputSettings settings;
  private final Clock clock;
  private final Map<Path, OutputRecorder> live = new ConcurrentHashMap<>();

  /** Finished outputs in the order they give way. Guarded by this. */
  private final Deque<OutputFiles> finishedOldestFirst = new ArrayDeque<>();

  /** Bytes on disk of every output, running and finished. Guarded by this. */
  private long total;

  public OutputStore(OutputSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    try {
      OwnerOnly.createDirectories(settings.directory());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the output directory " + settings.directory() + " (--output-dir): " + e,
          e);
    }
    // Output left by an earlier run of the agent is finished: nothing writes to it any more.
    synchronized (this) {
      for (Path log : logsOldestFirst()) {
        OutputFiles files = OutputFiles.ofLog(log);
        finishedOldestFirst.addLast(files);
        total += files.diskBytes();
      }
      makeRoom();
    }
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
      removeLeftovers(files);
      OutputRecorder recorder =
          new OutputRecorder(files, settings.maxBytes(), clock, new Account(files));
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

  /** A name is never reused by another execution, so files already under it are stale. */
  private synchronized void removeLeftovers(OutputFiles files) throws IOException {
    finishedOldestFirst.removeIf(finished -> finished.log().equals(files.log()));
    total -= files.diskBytes();
    files.delete();
  }

  /** Removes finished outputs, oldest first, until the total fits. Call holding this. */
  private void makeRoom() {
    while (total > settings.totalBytes() && !finishedOldestFirst.isEmpty()) {
      OutputFiles oldest = finishedOldestFirst.removeFirst();
      long size = oldest.diskBytes();
      try {
        oldest.delete();
        total -= size;
      } catch (IOException e) {
        // Still on disk, so still counted; the next one in line makes the room instead.
        log.warn("Cannot remove old output {}: {}", oldest.log(), e.toString());
      }
    }
  }

  /** How one running execution's output counts against the total. */
  private final class Account implements OutputRecorder.Account {
    private final OutputFiles files;

    Account(OutputFiles files) {
      this.files = files;
    }

    @Override
    public void added(long bytes) {
      synchronized (OutputStore.this) {
        total += bytes;
        makeRoom();
      }
    }

    @Override
    public void ended() {
      live.remove(files.log());
      synchronized (OutputStore.this) {
        finishedOldestFirst.addLast(files);
        makeRoom();
      }
    }
  }

  private List<Path> logsOldestFirst() {
    try (Stream<Path> paths = Files.walk(settings.directory(), 2)) {
      return paths
          .filter(p -> p.getFileName().toString().endsWith(OutputFiles.LOG_SUFFIX))
          .sorted(Comparator.comparing(OutputStore::modified))
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
