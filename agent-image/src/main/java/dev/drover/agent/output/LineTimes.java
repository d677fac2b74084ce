package dev.drover.agent.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/** When each chunk of an output arrived, read from its index: what dates its lines. */
final class LineTimes {
  private static final DateTimeFormatter RFC_3339_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final long[] offsets;
  private final long[] millis;

  private LineTimes(long[] offsets, long[] millis) {
    this.offsets = offsets;
    this.millis = millis;
  }

  static LineTimes read(Path index) throws IOException {
    List<String> lines = Files.exists(index) ? Files.readAllLines(index) : List.of();
    long[] offsets = new long[lines.size()];
    long[] millis = new long[lines.size()];
    int count = 0;
    for (String line : lines) {
      int space = line.indexOf(' ');
      if (space > 0) { // a line cut short by a crash is left out
        offsets[count] = Long.parseLong(line.substring(0, space));
        millis[count++] = Long.parseLong(line.substring(space + 1));
      }
    }
    return new LineTimes(Arrays.copyOf(offsets, count), Arrays.copyOf(millis, count));
  }

  /** The arrival time of the chunk holding the byte at {@code offset}, as RFC 3339 in UTC. */
  String timeOf(long offset) {
    if (offsets.length == 0) {
      return RFC_3339_MILLIS.format(Instant.EPOCH); // the index was lost with a crash
    }
    int found = Arrays.binarySearch(offsets, offset);
    int chunk = found >= 0 ? found : -found - 2;
    return RFC_3339_MILLIS.format(Instant.ofEpochMilli(millis[Math.max(chunk, 0)]));
  }
}
