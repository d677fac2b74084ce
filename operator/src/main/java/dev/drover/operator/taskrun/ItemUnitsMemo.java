package dev.drover.operator.taskrun;

import dev.drover.api.execution.TaskExecution;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The item units of chunks whose batches have not changed, kept between reconciles: a batched run
 * is reconciled on every batch update, and rebuilding all its items each time (one view per item)
 * cost more than everything else the run's reconcile does. A chunk is known by the uid and
 * resourceVersion of each of its attempts, which change whenever an attempt does, so an entry is
 * never stale. Least recently used chunks go first once the items held pass a bound.
 */
final class ItemUnitsMemo {
  private final int maxItems;
  private final LinkedHashMap<String, List<Unit>> chunks = new LinkedHashMap<>(64, 0.75f, true);
  private int items;

  ItemUnitsMemo(int maxItems) {
    this.maxItems = maxItems;
  }

  /**
   * The chunk's item units: remembered ones while its attempts are as they were, else computed (and
   * remembered when every attempt has been stored by the API server).
   */
  List<Unit> itemsOf(Unit chunk, int chunkSize, Supplier<List<Unit>> compute) {
    String key = key(chunk, chunkSize);
    if (key == null) {
      return compute.get();
    }
    synchronized (this) {
      List<Unit> known = chunks.get(key);
      if (known != null) {
        return known;
      }
    }
    List<Unit> computed = compute.get();
    synchronized (this) {
      if (chunks.put(key, computed) == null) {
        items += computed.size();
      }
      evictBeyondBound();
    }
    return computed;
  }

  synchronized int itemsHeld() {
    return items;
  }

  private void evictBeyondBound() {
    Iterator<Map.Entry<String, List<Unit>>> eldestFirst = chunks.entrySet().iterator();
    while (items > maxItems && eldestFirst.hasNext()) {
      items -= eldestFirst.next().getValue().size();
      eldestFirst.remove();
    }
  }

  /** Null while an attempt has no uid or resourceVersion yet (about to be created). */
  private static String key(Unit chunk, int chunkSize) {
    StringBuilder key = new StringBuilder().append(chunkSize);
    for (TaskExecution attempt : chunk.attempts()) {
      String uid = attempt.getMetadata().getUid();
      String version = attempt.getMetadata().getResourceVersion();
      if (uid == null || version == null) {
        return null;
      }
      key.append('/').append(uid).append('@').append(version);
    }
    return key.toString();
  }
}
