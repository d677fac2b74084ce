package dev.drover.agent.output;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The query of an output request.
 *
 * @param offset bytes from the start, or when negative that many bytes before the end
 */
record OutputQuery(long offset, boolean follow, boolean timestamps) {
  static OutputQuery parse(String rawQuery) {
    long offset = 0;
    boolean follow = false;
    boolean timestamps = false;
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        int equals = pair.indexOf('=');
        String key = decode(equals < 0 ? pair : pair.substring(0, equals));
        String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
        switch (key) {
          case "offset" -> offset = parseOffset(value);
          case "follow" -> follow = parseFlag(key, value);
          case "timestamps" -> timestamps = parseFlag(key, value);
          default ->
              throw new IllegalArgumentException(
                  "unknown parameter \"" + key + "\"; known: offset, follow, timestamps");
        }
      }
    }
    return new OutputQuery(offset, follow, timestamps);
  }

  /** Where reading starts in an output of {@code size} bytes. */
  long start(long size) {
    return offset >= 0 ? Math.min(offset, size) : Math.max(0, size + offset);
  }

  private static long parseOffset(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "offset must be a whole number of bytes (negative: from the end), got \"" + value + "\"");
    }
  }

  private static boolean parseFlag(String key, String value) {
    return switch (value) {
      case "true", "" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(key + " must be true or false, got \"" + value + "\"");
    };
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
