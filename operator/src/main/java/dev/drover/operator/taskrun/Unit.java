package dev.drover.operator.taskrun;

import dev.drover.api.execution.TaskExecution;
import java.util.Comparator;
import java.util.List;

/**
 * One unit of a run's work and the attempts made at it so far.
 *
 * @param key stable identity: the agent name (Broadcast), item-N (Distribute) or single
 * @param target the agent a Broadcast unit is tied to, else null
 * @param item the Distribute item, else null
 */
record Unit(String key, String target, String item, int index, List<TaskExecution> attempts) {

  static Unit of(List<TaskExecution> attempts) {
    List<TaskExecution> ordered =
        attempts.stream().sorted(Comparator.comparingInt(e -> e.getSpec().attempt())).toList();
    TaskExecution first = ordered.get(0);
    return new Unit(
        first.getSpec().unit(),
        first.getSpec().target(),
        first.getSpec().item(),
        indexOf(first),
        ordered);
  }

  TaskExecution latest() {
    return attempts.get(attempts.size() - 1);
  }

  int attemptCount() {
    return latest().getSpec().attempt();
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
    if (latest().getSpec().agent() != null) {
      return latest().getSpec().agent();
    }
    return latest().getStatus() != null && latest().getStatus().node() != null
        ? latest().getStatus().node()
        : key;
  }

  private static int indexOf(TaskExecution execution) {
    String unit = execution.getSpec().unit();
    return unit.startsWith("item-") ? Integer.parseInt(unit.substring(5)) : 0;
  }
}
