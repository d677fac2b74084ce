package dev.drover.operator.schedule;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/**
 * A stable start-time offset per object, in [0, jitterSeconds]: the same task always fires at the
 * same offset, while many tasks due at one instant spread over the window.
 */
final class Jitter {
  private Jitter() {}

  static Duration offset(String namespace, String name, Integer jitterSeconds) {
    if (jitterSeconds == null || jitterSeconds <= 0) {
      return Duration.ZERO;
    }
    long spreadMillis = jitterSeconds * 1000L + 1;
    return Duration.ofMillis(Math.floorMod(hash(namespace + "/" + name), spreadMillis));
  }

  private static long hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
