package dev.drover.agent.output;

import dev.drover.agent.process.OutputSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one running execution's output to its files as it comes, up to the per-execution limit,
 * and wakes readers that follow it.
 */
final class OutputRecorder implements OutputSink {
  private static final Logger log = LoggerFactory.getLogger(OutputRecorder.class);

  /** What the recorder tells its store: the disk it takes, and that it ended. */
  interface Account {
    void added(long bytes);

    void ended();
  }

  private final OutputFiles files;
  private final long maxBytes;
  private final Clock clock;
  private final Account account;
  private OutputStream bytes;
  private Writer index;
  private long kept;
  private long dropped;
  private boolean endsWithNewline = true;
  private long lastDatedMillis = Long.MIN_VALUE;
  private long indexBytes;
  private boolean closed;

  OutputRecorder(OutputFiles files, long maxBytes, Clock clock, Account account)
      throws IOException {
    this.files = files;
    this.maxBytes = maxBytes;
    this.clock = clock;
    this.account = account;
    OwnerOnly.createDirectories(files.log().getParent());
    this.bytes = OwnerOnly.create(files.log());
    try {
      this.index =
          new BufferedWriter(
              new OutputStreamWriter(OwnerOnly.create(files.index()), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      // Output without its index would be counted nowhere: keep neither.
      bytes.close();
      files.delete();
      throw e;
    }
  }

  @Override
  public synchronized void write(byte[] chunk, int length) {
    if (closed) {
      return;
    }
    int keep = (int) Math.min(length, Math.max(0, maxBytes - kept));
    dropped += length - keep;
    if (keep > 0 && bytes != null) {
      try {
        // The index entry goes first: a reader that sees the bytes can always date them.
        int dated = beginsLine(chunk, keep) ? date(clock.millis()) : 0;
        bytes.write(chunk, 0, keep);
        bytes.flush();
        kept += keep;
        endsWithNewline = chunk[keep - 1] == '\n';
        account.added(dated + keep);
      } catch (IOException e) {
        log.warn(
            "Cannot keep the output in {}; keeping only its tail: {}", files.log(), e.toString());
        closeQuietly();
      }
    }
    notifyAll();
  }

  /**
   * Whether a line begins in the first {@code keep} bytes of the chunk: only lines are dated, so a
   * chunk that merely goes on with a line (a progress bar redrawn with carriage returns) needs no
   * time of its own.
   */
  private boolean beginsLine(byte[] chunk, int keep) {
    if (endsWithNewline) {
      return true;
    }
    for (int i = 0; i < keep - 1; i++) {
      if (chunk[i] == '\n') {
        return true;
      }
    }
    return false;
  }

  /**
   * Dates the chunk about to be written at {@code kept}, and returns the bytes that took. An entry
   * with the time of the last one would change no line's time, so none is written; nor once the
   * index holds as many bytes as the output may, so that it never outgrows the output it dates
   * (later lines then take the time of the last entry).
   */
  private int date(long millis) throws IOException {
    if (millis == lastDatedMillis || indexBytes >= maxBytes) {
      return 0;
    }
    String entry = kept + " " + millis + "\n";
    index.write(entry);
    index.flush();
    lastDatedMillis = millis;
    indexBytes += entry.length();
    return entry.length();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (dropped > 0 && bytes != null) {
        try {
          byte[] notice =
              ((endsWithNewline ? "" : "\n")
                      + "[drover: "
                      + dropped
                      + " more bytes were not kept: the limit is "
                      + maxBytes
                      + " bytes an execution (--output-max-bytes)]\n")
                  .getBytes(StandardCharsets.UTF_8);
          bytes.write(notice);
          Files.createFile(files.truncatedMarker());
          account.added(notice.length);
        } catch (IOException e) {
          log.warn("Cannot mark {} as cut: {}", files.log(), e.toString());
        }
      }
      closeQuietly();
      closed = true;
      notifyAll();
    }
    account.ended();
  }

  synchronized boolean closed() {
    return closed;
  }

  /** Waits until the output grows past {@code size} or ends, at most {@code limit}. */
  synchronized void awaitGrowth(long size, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!closed && kept <= size) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  private void closeQuietly() {
    try {
      if (bytes != null) {
        bytes.close();
      }
      if (index != null) {
        index.close();
      }
    } catch (IOException e) {
      log.warn("Cannot close {}: {}", files.log(), e.toString());
    }
    bytes = null;
    index = null;
  }
}
