package dev.drover.operator.flow;

import static java.util.stream.Collectors.toCollection;

import dev.drover.api.flow.FlowTask;
import dev.drover.api.flow.TaskFlowSpec;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The shape of a valid flow: what each task waits for and who reacts to its failure. {@link
 * FlowProblems} says what makes a flow invalid.
 */
final class FlowGraph {
  private final List<FlowTask> tasks;
  private final List<FlowTask> finallyTasks;
  private final Map<String, DependsExpression> conditions;

  private FlowGraph(
      List<FlowTask> tasks,
      List<FlowTask> finallyTasks,
      Map<String, DependsExpression> conditions) {
    this.tasks = tasks;
    this.finallyTasks = finallyTasks;
    this.conditions = conditions;
  }

  /** The graph of a flow; throws, listing its problems, when {@link FlowProblems} finds any. */
  static FlowGraph of(TaskFlowSpec spec) {
    List<String> problems = FlowProblems.of(spec);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return ofValid(spec);
  }

  /** The graph of a flow {@link FlowProblems} found nothing wrong with. */
  static FlowGraph ofValid(TaskFlowSpec spec) {
    Map<String, DependsExpression> conditions = new LinkedHashMap<>();
    spec.tasksOrEmpty().forEach(t -> conditions.put(t.name(), condition(t)));
    spec.finallyOrEmpty()
        .forEach(t -> conditions.put(t.name(), DependsExpression.allSucceeded(List.of())));
    return new FlowGraph(spec.tasksOrEmpty(), spec.finallyOrEmpty(), conditions);
  }

  /** The main tasks, in spec order. */
  List<FlowTask> tasks() {
    return tasks;
  }

  List<FlowTask> finallyTasks() {
    return finallyTasks;
  }

  /** When a task of this flow may start; a finally task's holds at once. */
  DependsExpression condition(String task) {
    DependsExpression condition = conditions.get(task);
    if (condition == null) {
      throw new IllegalArgumentException("no task \"" + task + "\" in this flow");
    }
    return condition;
  }

  /** Every task the task waits for, directly or not, in spec order: whose results it may use. */
  Set<String> upstream(String task) {
    Set<String> reached = reach(task, t -> condition(t).tasks());
    return tasks.stream()
        .map(FlowTask::name)
        .filter(reached::contains)
        .collect(toCollection(LinkedHashSet::new));
  }

  /** Whether another task's condition reacts to a failure of the task, making it not the flow's. */
  boolean handled(String task) {
    return conditions.values().stream().anyMatch(c -> c.handlesFailureOf(task));
  }

  /** The tasks whose condition names the task, in spec order: whom its settling may unblock. */
  List<String> dependents(String task) {
    return tasks.stream()
        .map(FlowTask::name)
        .filter(t -> conditions.get(t).tasks().contains(task))
        .toList();
  }

  /** Every task reachable from {@code start} along {@code waitsFor}. */
  static Set<String> reach(String start, Function<String, Set<String>> waitsFor) {
    Set<String> reached = new LinkedHashSet<>();
    Deque<String> pending = new ArrayDeque<>(List.of(start));
    while (!pending.isEmpty()) {
      for (String next : waitsFor.apply(pending.pop())) {
        if (reached.add(next)) {
          pending.push(next);
        }
      }
    }
    return reached;
  }

  private static DependsExpression condition(FlowTask t) {
    return t.depends() != null
        ? DependsExpression.parse(t.depends())
        : DependsExpression.allSucceeded(t.dependsOnOrEmpty());
  }
}
