package dev.drover.operator.flow;

import static java.util.stream.Collectors.toCollection;

import dev.drover.api.flow.FlowTask;
import dev.drover.api.flow.TaskFlowSpec;
import dev.drover.api.flow.WhenExpression;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.operator.task.References;
import dev.drover.operator.task.Substitution;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shape of a flow: what each task waits for and who reacts to its failure. {@link #problems}
 * says what the API schema cannot check about a flow, each problem one readable sentence; {@link
 * #of} builds the graph of a flow that has none.
 */
public final class FlowGraph {
  private static final int MAX_TASKS = 200;
  private static final int MAX_FINALLY_TASKS = 50;

  /** As in the schema, which the API server checks but a test's mock server does not. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");

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

  /** The graph of a flow; throws, listing its problems, when {@link #problems} finds any. */
  static FlowGraph of(TaskFlowSpec spec) {
    List<String> problems = problems(spec);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
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

  /** Every problem of the spec, flow-wide ones first, then task by task, then cycles. */
  public static List<String> problems(TaskFlowSpec spec) {
    if (spec == null) {
      return List.of("spec is required");
    }
    List<FlowTask> main = spec.tasksOrEmpty();
    List<FlowTask> finals = spec.finallyOrEmpty();
    if (main.size() > MAX_TASKS) {
      // A larger flow is not examined further, so that no spec costs much to check.
      return List.of("a flow has at most " + MAX_TASKS + " tasks; this one has " + main.size());
    }
    List<String> problems = new ArrayList<>();
    if (main.isEmpty()) {
      problems.add("a flow needs at least one task");
    }
    if (finals.size() > MAX_FINALLY_TASKS) {
      problems.add(
          "a flow has at most "
              + MAX_FINALLY_TASKS
              + " finally tasks; this one has "
              + finals.size());
    }
    problems.addAll(nameProblems(main, "task"));
    problems.addAll(nameProblems(finals, "finally task"));
    problems.addAll(duplicates(Stream.concat(main.stream(), finals.stream())));
    Scope scope = Scope.of(main, finals);
    main.stream().filter(FlowGraph::hasName).forEach(t -> problems.addAll(mainProblems(t, scope)));
    finals.stream()
        .filter(FlowGraph::hasName)
        .forEach(t -> problems.addAll(finallyProblems(t, scope)));
    Stream.concat(main.stream(), finals.stream())
        .filter(t -> hasName(t) && t.spec() != null)
        .forEach(
            t ->
                Substitution.scriptProblems(t.spec().script())
                    .forEach(p -> problems.add("task \"" + t.name() + "\" " + p)));
    problems.addAll(cycles(scope.waitsFor()));
    return problems;
  }

  /**
   * The names in a flow and, for each main task, the known main tasks it waits for; {@code
   * unreadable} are the tasks whose depends does not parse, so what they wait for is unknown.
   */
  private record Scope(
      Set<String> main,
      Set<String> finals,
      Map<String, Set<String>> waitsFor,
      Set<String> unreadable) {
    static Scope of(List<FlowTask> main, List<FlowTask> finals) {
      Set<String> mainNames = names(main);
      Map<String, Set<String>> waitsFor = new LinkedHashMap<>();
      Set<String> unreadable = new HashSet<>();
      main.stream()
          .filter(FlowGraph::hasName)
          .forEach(
              t -> {
                Set<String> known = mentioned(t);
                known.retainAll(mainNames);
                known.remove(t.name());
                waitsFor.putIfAbsent(t.name(), known);
                if (dependsProblem(t).isPresent()) {
                  unreadable.add(t.name());
                }
              });
      return new Scope(mainNames, names(finals), waitsFor, unreadable);
    }

    /** What the task waits for, directly or not; empty when that is not known for certain. */
    Optional<Set<String>> upstream(String task) {
      Set<String> reached = reach(task, t -> waitsFor.getOrDefault(t, Set.of()));
      return unreadable.contains(task) || reached.stream().anyMatch(unreadable::contains)
          ? Optional.empty()
          : Optional.of(reached);
    }
  }

  private static List<String> nameProblems(List<FlowTask> tasks, String kind) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      FlowTask t = tasks.get(i);
      if (!hasName(t)) {
        problems.add(kind + " #" + (i + 1) + " has no name");
      } else if (!NAME.matcher(t.name()).matches()) {
        problems.add(
            kind + " name \"" + t.name() + "\" is not a DNS label of at most 40 characters");
      }
    }
    return problems;
  }

  private static List<String> duplicates(Stream<FlowTask> tasks) {
    Map<String, Integer> uses = new LinkedHashMap<>();
    tasks.filter(FlowGraph::hasName).forEach(t -> uses.merge(t.name(), 1, Integer::sum));
    return uses.entrySet().stream()
        .filter(e -> e.getValue() > 1)
        .map(
            e ->
                "task name \""
                    + e.getKey()
                    + "\" is used "
                    + (e.getValue() == 2 ? "twice" : e.getValue() + " times"))
        .toList();
  }

  private static List<String> mainProblems(FlowTask t, Scope scope) {
    String task = "task \"" + t.name() + "\"";
    List<String> problems = new ArrayList<>(templateProblems(t));
    if (!t.dependsOnOrEmpty().isEmpty() && t.depends() != null) {
      problems.add(task + " sets both dependsOn and depends; use one of them");
    }
    dependsProblem(t).ifPresent(p -> problems.add(task + ": " + p));
    for (String other : mentioned(t)) {
      if (t.name().equals(other)) {
        problems.add(task + " depends on itself");
      } else if (scope.finals().contains(other) && !scope.main().contains(other)) {
        problems.add(task + " depends on finally task \"" + other + "\", which runs after it");
      } else if (!scope.main().contains(other)) {
        problems.add(task + " depends on unknown task \"" + other + "\"");
      }
    }
    problems.addAll(referenceProblems(t, scope, scope.upstream(t.name())));
    problems.addAll(itemsFromProblems(t));
    problems.addAll(whenProblems(t));
    return problems;
  }

  /** A finally task runs once every main task has settled, so it names none to wait for. */
  private static List<String> finallyProblems(FlowTask t, Scope scope) {
    String cannot = "task \"" + t.name() + "\" is a finally task, so it cannot use ";
    List<String> problems = new ArrayList<>(templateProblems(t));
    if (!t.dependsOnOrEmpty().isEmpty()) {
      problems.add(cannot + "dependsOn");
    }
    if (t.depends() != null) {
      problems.add(cannot + "depends");
    }
    if (t.itemsFrom() != null) {
      problems.add(cannot + "itemsFrom");
    }
    problems.addAll(referenceProblems(t, scope, Optional.of(scope.main())));
    problems.addAll(whenProblems(t));
    return problems;
  }

  private static List<String> templateProblems(FlowTask t) {
    return t.taskRef() == null && t.spec() == null
        ? List.of("task \"" + t.name() + "\" needs a taskRef or a spec")
        : List.of();
  }

  /** The parser's complaint about the task's depends, if it has one that does not parse. */
  private static Optional<String> dependsProblem(FlowTask t) {
    if (t.depends() == null) {
      return Optional.empty();
    }
    try {
      DependsExpression.parse(t.depends());
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Checks each $(tasks.X.result) and $(dependsOn.results) the task uses against the tasks whose
   * results it may use: {@code readable}, or empty when that is not known for certain.
   */
  private static List<String> referenceProblems(
      FlowTask t, Scope scope, Optional<Set<String>> readable) {
    String task = "task \"" + t.name() + "\"";
    List<String> problems = new ArrayList<>();
    for (String key : references(t)) {
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
  private static Set<String> references(FlowTask t) {
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
  private static List<String> itemsFromProblems(FlowTask t) {
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

  private static List<String> whenProblems(FlowTask t) {
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

  /**
   * One cycle per edge back onto the current path of a depth-first walk from each task in spec
   * order; a cycle reads in the direction of waiting: {@code a → b} means a waits for b.
   */
  private static List<String> cycles(Map<String, Set<String>> waitsFor) {
    List<String> problems = new ArrayList<>();
    Set<String> done = new HashSet<>();
    for (String root : waitsFor.keySet()) {
      if (done.contains(root)) {
        continue;
      }
      List<String> path = new ArrayList<>(List.of(root));
      Deque<Iterator<String>> pending = new ArrayDeque<>(List.of(waitsFor.get(root).iterator()));
      while (!path.isEmpty()) {
        Iterator<String> next = pending.peek();
        if (!next.hasNext()) {
          done.add(path.remove(path.size() - 1));
          pending.pop();
          continue;
        }
        String dependency = next.next();
        int onPath = path.indexOf(dependency);
        if (onPath >= 0) {
          problems.add(
              "dependency cycle: "
                  + String.join(" → ", path.subList(onPath, path.size()))
                  + " → "
                  + dependency);
        } else if (!done.contains(dependency)) {
          path.add(dependency);
          pending.push(waitsFor.get(dependency).iterator());
        }
      }
    }
    return problems;
  }

  /** Every task reachable from {@code start} along {@code waitsFor}. */
  private static Set<String> reach(String start, Function<String, Set<String>> waitsFor) {
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

  /** The tasks a task names in dependsOn and depends; a depends that does not parse names none. */
  private static Set<String> mentioned(FlowTask t) {
    Set<String> mentioned = new LinkedHashSet<>(t.dependsOnOrEmpty());
    if (t.depends() != null && dependsProblem(t).isEmpty()) {
      mentioned.addAll(DependsExpression.parse(t.depends()).tasks());
    }
    return mentioned;
  }

  private static boolean hasName(FlowTask t) {
    return t != null && t.name() != null;
  }

  private static DependsExpression condition(FlowTask t) {
    return t.depends() != null
        ? DependsExpression.parse(t.depends())
        : DependsExpression.allSucceeded(t.dependsOnOrEmpty());
  }

  private static Set<String> names(List<FlowTask> tasks) {
    return tasks.stream()
        .filter(FlowGraph::hasName)
        .map(FlowTask::name)
        .collect(toCollection(LinkedHashSet::new));
  }
}
