package dev.drover.cli.support;

import dev.drover.api.DroverLabels;
import dev.drover.api.execution.TaskExecution;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The targets of a run: the latest attempt of each of its units, and what to call each. */
public final class Targets {
  private Targets() {}

  public static List<TaskExecution> executions(
      KubernetesClient client, String namespace, String run) {
    return client
        .resources(TaskExecution.class)
        .inNamespace(namespace)
        .withLabel(DroverLabels.RUN, run)
        .list()
        .getItems();
  }

  /** The latest attempt of every unit, in a stable order (by unit). */
  public static List<TaskExecution> latest(Collection<TaskExecution> executions) {
    Map<String, TaskExecution> byUnit =
        executions.stream()
            .collect(
                Collectors.toMap(
                    e -> e.getSpec().unit(),
                    Function.identity(),
                    (a, b) -> a.getSpec().attempt() >= b.getSpec().attempt() ? a : b));
    return byUnit.values().stream()
        .sorted(
            Comparator.comparing((TaskExecution e) -> itemIndex(e))
                .thenComparing(e -> e.getSpec().unit()))
        .toList();
  }

  /** What a person calls the target: its agent or node, its item, or the agent that took it. */
  public static String name(TaskExecution execution) {
    var spec = execution.getSpec();
    if (spec.target() != null) {
      return spec.target();
    }
    if (spec.item() != null) {
      return spec.item();
    }
    if (spec.agent() != null) {
      return spec.agent();
    }
    var status = execution.getStatus();
    return status != null && status.node() != null ? status.node() : spec.unit();
  }

  private static int itemIndex(TaskExecution execution) {
    String unit = execution.getSpec().unit();
    return unit.startsWith("item-") ? Integer.parseInt(unit.substring(5)) : -1;
  }
}
