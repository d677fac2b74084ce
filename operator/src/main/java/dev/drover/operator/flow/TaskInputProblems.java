package dev.drover.operator.flow;

import dev.drover.api.flow.FlowTask;
import dev.drover.api.flow.WhenExpression;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.operator.flow.FlowProblems.Scope;
import dev.drover.operator.task.References;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What can be wrong with what a flow task takes in: the results it refers to, the items it maps
 * over and the guards it compares.
 */
final class TaskInputProblems {
  private TaskInputProblems() {}

  /**
   * Checks each $(tasks.X.result) and $(dependsOn.results) the task uses against the tasks whose
   * results it may use: {@code readable}, or empty when that is not known for certain.
   */
  static List<String> references(FlowTask t, Scope scope, Optional<Set<String>> readable) {
    String task = "task \"" + t.name() + "\"";
    List<String> problems = new ArrayList<>();
    for (String key : keys(t)) {
      String uses = task + " uses $(" + key + ")";
      String other = References.taskOf(key);
      if (key.equals(References.DEPENDS_ON_RESULTS)) {
        if (t.dependsOnOrEmpty().isEmpty()) {
          problems.add(uses + " but has no dependsOn");
        }
      } else if (other == null) {
        // $(params.x) and $(item) are checked where they are resolved.
      } else if (other.equals(t.name())) {
        problems.add(task + " uses its own result $(" + key + ")");
      } else if (scope.finals().contains(other) && !scope.main().contains(other)) {
        problems.add(
            uses + " of finally task \"" + other + "\"; only results of main tasks can be used");
      } else if (!scope.main().contains(other)) {
        problems.add(uses + " but there is no task \"" + other + "\"");
      } else if (readable.isPresent() && !readable.get().contains(other)) {
        problems.add(uses + " but does not depend on \"" + other + "\"");
      }
    }
    return problems;
  }

  /** The $(...) keys in the task's spec, param values (by param name), guards and itemsFrom. */
  private static Set<String> keys(FlowTask t) {
    Set<String> keys = new LinkedHashSet<>(References.in(t.spec()));
    if (t.taskRef() != null) {
      new TreeMap<>(t.taskRef().paramsOrEmpty())
          .values()
          .forEach(v -> keys.addAll(References.in(v)));
    }
    t.whenOrEmpty().stream()
        .filter(Objects::nonNull)
        .forEach(w -> keys.addAll(References.in(w.input())));
    keys.addAll(References.in(t.itemsFrom()));
    return keys;
  }

  /** The items come from another task's result, so the task must distribute and list none. */
  static List<String> itemsFrom(FlowTask t) {
    if (t.itemsFrom() == null) {
      return List.of();
    }
    String task = "task \"" + t.name() + "\"";
    List<String> problems = new ArrayList<>();
    Set<String> keys = References.in(t.itemsFrom());
    boolean single =
        keys.size() == 1
            && keys.stream()
                .allMatch(
                    k -> References.taskOf(k) != null && t.itemsFrom().equals("$(" + k + ")"));
    if (!single) {
      problems.add(
          task + ": itemsFrom must be $(tasks.NAME.result), not \"" + t.itemsFrom() + "\"");
    }
    TaskRunSpec spec = t.spec();
    if (spec != null && spec.dispatch() != null && spec.dispatch() != Dispatch.Distribute) {
      problems.add(task + " has itemsFrom, so it cannot set dispatch " + spec.dispatch());
    }
    if (spec != null && spec.items() != null && !spec.items().isEmpty()) {
      problems.add(task + " has itemsFrom, so it cannot also list items");
    }
    return problems;
  }

  static List<String> when(FlowTask t) {
    List<String> problems = new ArrayList<>();
    List<WhenExpression> when = t.whenOrEmpty();
    for (int i = 0; i < when.size(); i++) {
      String guard = "task \"" + t.name() + "\": when[" + i + "]";
      WhenExpression w =
          Objects.requireNonNullElse(when.get(i), new WhenExpression(null, null, null));
      if (w.input() == null) {
        problems.add(guard + " needs an input");
      }
      if (w.operator() == null) {
        problems.add(guard + " needs an operator, In or NotIn");
      }
      if (w.values() == null || w.values().isEmpty()) {
        problems.add(guard + " needs at least one value");
      }
    }
    return problems;
  }
}
