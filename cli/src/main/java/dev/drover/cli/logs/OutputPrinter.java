package dev.drover.cli.logs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Writes outputs to the terminal: one target's bytes as they are, several targets' lines each
 * prefixed with its target and never mixed within a line.
 */
public final class OutputPrinter {
  private final PrintWriter out;
  private final OutputStream bytes;

  public OutputPrinter(PrintWriter out, OutputStream bytes) {
    this.out = out;
    this.bytes = bytes;
  }

  /** Copies the stream unchanged, flushing as it comes so that a followed output shows at once. */
  public void raw(InputStream in) throws IOException {
    synchronized (this) {
      out.flush();
    }
    byte[] buffer = new byte[64 * 1024];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      synchronized (this) {
        bytes.write(buffer, 0, n);
        bytes.flush();
      }
    }
  }

  /** Prints each line of the stream as {@code [target] line}. */
  public void prefixed(String target, InputStream in) throws IOException {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        line(target, line);
      }
    }
  }

  public synchronized void line(String target, String line) {
    out.println("[" + target + "] " + line);
    out.flush();
  }
}
