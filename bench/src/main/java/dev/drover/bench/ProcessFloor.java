package dev.drover.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * The processes a perfect agent could not avoid: the run's command started once per item from a
 * JVM, as many at a time as the fleet has slots, each drained and waited for. No API server, no
 * status, no output kept: a floor for the items per second of a Distribute on this machine.
 */
final class ProcessFloor {
  private ProcessFloor() {}

  static Duration run(BenchCluster cluster, List<String> argv, int items, int slots)
      throws Exception {
    return cluster.inParallel(slots, items, item -> runOnce(argv));
  }

  private static void runOnce(List<String> argv) {
    try {
      Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
      try (InputStream output = process.getInputStream()) {
        output.transferTo(OutputStream.nullOutputStream());
      }
      int exit = process.waitFor();
      if (exit != 0) {
        throw new IllegalStateException(argv + " exited " + exit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
