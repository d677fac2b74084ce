package dev.drover.agent.output;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Puts before every line the arrival time of the chunk the line began in, then a space, as {@code
 * kubectl logs --timestamps} does.
 */
final class LineDater extends FilterOutputStream {
  private final LineTimes times;
  private long offset;
  private boolean atLineStart;

  /**
   * @param offset where in the output the first byte written comes from
   * @param atLineStart whether that byte begins a line
   */
  LineDater(LineTimes times, long offset, boolean atLineStart, OutputStream body) {
    super(body);
    this.times = times;
    this.offset = offset;
    this.atLineStart = atLineStart;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int from, int length) throws IOException {
    int end = from + length;
    for (int lineStart = from; lineStart < end; ) {
      int newline = lineStart;
      while (newline < end && bytes[newline] != '\n') {
        newline++;
      }
      int lineEnd = Math.min(newline + 1, end);
      if (atLineStart) {
        out.write((times.timeOf(offset) + " ").getBytes(StandardCharsets.US_ASCII));
      }
      out.write(bytes, lineStart, lineEnd - lineStart);
      offset += lineEnd - lineStart;
      atLineStart = bytes[lineEnd - 1] == '\n';
      lineStart = lineEnd;
    }
  }
}
