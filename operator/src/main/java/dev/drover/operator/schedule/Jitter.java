package dev.drover.operator.schedule;

import dev.drover.operator.support.Hashes;
import java.nio.ByteBuffer;
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
    long hash = ByteBuffer.wrap(Hashes.sha256(namespace + "/" + name)).getLong();
    return Duration.ofMillis(Math.floorMod(hash, spreadMillis));
  }
}
