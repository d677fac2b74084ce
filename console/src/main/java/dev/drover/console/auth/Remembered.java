package dev.drover.console.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Answers of the API server about a token, kept for a few seconds so that a page and its live
 * updates cost one review, not one per request; a revoked right takes effect after at most that
 * long. Keys hold a token's SHA-256, never the token.
 */
final class Remembered<V> {
  static final Duration FOR = Duration.ofSeconds(10);
  private static final int MAX_ENTRIES = 10_000;

  private record Entry<V>(V value, Instant until) {}

  private final Clock clock;
  private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();

  Remembered(Clock clock) {
    this.clock = clock;
  }

  V get(String key, Supplier<V> ask) {
    Instant now = clock.instant();
    Entry<V> entry = entries.get(key);
    if (entry != null && now.isBefore(entry.until())) {
      return entry.value();
    }
    V value = ask.get();
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(key, new Entry<>(value, now.plus(FOR)));
    return value;
  }
}
