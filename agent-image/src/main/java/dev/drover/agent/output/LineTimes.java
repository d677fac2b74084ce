package dev.drover.agent.output;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * When each chunk of an output arrived, read from its index (lines "offset epochMillis") in step
 * with a reader that moves forward through the output: the index is never held in memory, and
 * entries appended while a reader follows the output are picked up as it gets to them.
 */
final class LineTimes implements Closeable {
  private static final DateTimeFormatter RFC_3339_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Path index;
  private final ByteBuffer buffer = ByteBuffer.allocate(8192).flip();
  private final StringBuilder line = new StringBuilder();
  private FileChannel channel;
  private long position;

  /** The time of the chunk the last asked offset fell in; before any, of the first chunk. */
  private long currentMillis = -1;

  /** An entry read but not yet reached, or -1. */
  private long nextOffset = -1;

  private long nextMillis;

  LineTimes(Path index) {
    this.index = index;
  }

  /**
   * The arrival time of the chunk holding the byte at {@code offset}, as RFC 3339 in UTC; offsets
   * must not go down from one call to the next.
   */
  String timeOf(long offset) throws IOException {
    while ((nextOffset >= 0 || readEntry()) && nextOffset <= offset) {
      currentMillis = nextMillis;
      nextOffset = -1;
    }
    long millis = currentMillis >= 0 ? currentMillis : nextOffset >= 0 ? nextMillis : 0;
    return RFC_3339_MILLIS.format(Instant.ofEpochMilli(millis)); // 0: the index was lost
  }

  /** Reads the next whole entry of the index; a line still being written waits for later. */
  private boolean readEntry() throws IOException {
    while (true) {
      while (buffer.hasRemaining()) {
        char next = (char) buffer.get();
        if (next != '\n') {
          line.append(next);
        } else if (parse()) {
          return true;
        }
      }
      if (!fill()) {
        return false;
      }
    }
  }

  private boolean fill() throws IOException {
    if (channel == null) {
      try {
        channel = FileChannel.open(index, StandardOpenOption.READ);
      } catch (NoSuchFileException lost) {
        return false;
      }
    }
    buffer.clear();
    int read = channel.read(buffer, position);
    buffer.flip();
    if (read <= 0) {
      return false;
    }
    position += read;
    return true;
  }

  /** Takes the line read as the next entry, unless it is damaged (a crash mid-write). */
  private boolean parse() {
    String entry = line.toString();
    line.setLength(0);
    int space = entry.indexOf(' ');
    try {
      nextOffset = Long.parseLong(entry.substring(0, Math.max(space, 0)));
      nextMillis = Long.parseLong(entry.substring(space + 1));
      return true;
    } catch (NumberFormatException damaged) {
      nextOffset = -1;
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }
}
