package dev.drover.operator.taskrun;

import dev.drover.api.execution.TaskExecution;
import dev.drover.operator.support.KubeNames;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One unit of a run's work and the attempts made at it so far (none yet for a unit about to get its
 * first).
 *
 * @param key stable identity: the agent or node name (Broadcast), item-N (Distribute), batch-N (a
 *     chunk of a batched Distribute) or single
 * @param target the agent or node a Broadcast unit is tied to, else null
 * @param item the Distribute item, else null
 */
record Unit(String key, String target, String item, int index, List<TaskExecution> attempts) {
  static final String SINGLE = "single";
  private static final String ITEM_PREFIX = "item-";

  /** The key of a Broadcast target's unit: an agent, or with executor Pod a node. */
  static String keyForTarget(String targetName) {
    return KubeNames.labelValue(targetName);
  }

  static String keyForItem(int index) {
    return ITEM_PREFIX + index;
  }

  static Unit of(List<TaskExecution> attempts) {
    List<TaskExecution> ordered =
        attempts.stream().sorted(Comparator.comparingInt(e -> e.getSpec().attempt())).toList();
    TaskExecution first = ordered.get(0);
    String key = first.getSpec().unit();
    int index = first.getSpec().batch() ? Batches.chunkOf(key) : indexOf(key);
    return new Unit(key, first.getSpec().target(), first.getSpec().item(), index, ordered);
  }

  /** A unit the spec asks for that has no attempt yet. */
  static Unit unborn(String key, String target, String item) {
    return new Unit(key, target, item, indexOf(key), List.of());
  }

  /** The units of these executions, in target order: by item index, then by key. */
  static List<Unit> group(Collection<TaskExecution> executions) {
    return executions.stream()
        .collect(
            Collectors.groupingBy(e -> e.getSpec().unit(), LinkedHashMap::new, Collectors.toList()))
        .values()
        .stream()
        .map(Unit::of)
        .sorted(TARGET_ORDER)
        .toList();
  }

  static final Comparator<Unit> TARGET_ORDER =
      Comparator.comparingInt(Unit::index).thenComparing(Unit::key);

  boolean unborn() {
    return attempts.isEmpty();
  }

  TaskExecution latest() {
    return attempts.get(attempts.size() - 1);
  }

  int attemptCount() {
    return unborn() ? 0 : latest().getSpec().attempt();
  }

  /** Dispatched (an agent named, or a pod released) and not finished. */
  boolean active() {
    return !unborn() && latest().dispatched() && !latest().phase().isFinished();
  }

  /**
   * What a person calls this target: its agent or node, its item, or the agent or node that took
   * it.
   */
  String displayName() {
    if (target != null) {
      return target;
    }
    if (item != null) {
      return item;
    }
    if (unborn()) {
      return key;
    }
    if (latest().getSpec().agent() != null) {
      return latest().getSpec().agent();
    }
    return latest().getStatus() != null && latest().getStatus().node() != null
        ? latest().getStatus().node()
        : key;
  }

  /** The item index of an item-N key, else 0. */
  static int indexOf(String key) {
    return key.startsWith(ITEM_PREFIX) ? Integer.parseInt(key.substring(ITEM_PREFIX.length())) : 0;
  }
}
