package dev.drover.operator.flow;

import static java.util.stream.Collectors.toCollection;

import dev.drover.api.flow.FlowTask;
import dev.drover.api.flow.TaskFlowSpec;
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
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the API schema cannot check about a flow, each problem one readable sentence: names,
 * dependencies, depends syntax, cycles, results used without depending on their task, itemsFrom,
 * guards, and values a script cannot take as data.
 */
public final class FlowProblems {
  private static final int MAX_TASKS = 200;
  private static final int MAX_FINALLY_TASKS = 50;

  /** As in the schema, which the API server checks but a test's mock server does not. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");

  private FlowProblems() {}

  /** Every problem of the spec, flow-wide ones first, then task by task, then cycles. */
  public static List<String> of(TaskFlowSpec spec) {
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
    main.stream()
        .filter(FlowProblems::hasName)
        .forEach(t -> problems.addAll(mainProblems(t, scope)));
    finals.stream()
        .filter(FlowProblems::hasName)
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
  record Scope(
      Set<String> main,
      Set<String> finals,
      Map<String, Set<String>> waitsFor,
      Set<String> unreadable) {
    static Scope of(List<FlowTask> main, List<FlowTask> finals) {
      Set<String> mainNames = names(main);
      Map<String, Set<String>> waitsFor = new LinkedHashMap<>();
      Set<String> unreadable = new HashSet<>();
      main.stream()
          .filter(FlowProblems::hasName)
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
      Set<String> reached = FlowGraph.reach(task, t -> waitsFor.getOrDefault(t, Set.of()));
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
    tasks.filter(FlowProblems::hasName).forEach(t -> uses.merge(t.name(), 1, Integer::sum));
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
    problems.addAll(TaskInputProblems.references(t, scope, scope.upstream(t.name())));
    problems.addAll(TaskInputProblems.itemsFrom(t));
    problems.addAll(TaskInputProblems.when(t));
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
    problems.addAll(TaskInputProblems.references(t, scope, Optional.of(scope.main())));
    problems.addAll(TaskInputProblems.when(t));
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

  private static Set<String> names(List<FlowTask> tasks) {
    return tasks.stream()
        .filter(FlowProblems::hasName)
        .map(FlowTask::name)
        .collect(toCollection(LinkedHashSet::new));
  }
}
