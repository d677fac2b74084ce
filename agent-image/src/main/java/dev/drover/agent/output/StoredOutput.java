package dev.drover.agent.output;

import java.time.Duration;

/** One execution's kept output, finished or still being written. */
public final class StoredOutput {
  private final OutputFiles files;
  private final OutputRecorder recorder;

  StoredOutput(OutputFiles files, OutputRecorder recorder) {
    this.files = files;
    this.recorder = recorder;
  }

  OutputFiles files() {
    return files;
  }

  /** Whether the process has ended, so that nothing more will be written. */
  public boolean complete() {
    return recorder == null || recorder.closed();
  }

  public boolean truncated() {
    return files.truncated();
  }

  public long size() {
    return files.size();
  }

  /**
   * Waits until there is more than {@code size} bytes or the output ended, at most {@code limit}.
   */
  void awaitGrowth(long size, Duration limit) throws InterruptedException {
    if (recorder != null) {
      recorder.awaitGrowth(size, limit);
    }
  }
}
