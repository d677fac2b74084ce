package dev.drover.console.flows;

import static dev.drover.console.web.Html.esc;

import dev.drover.api.flow.FlowTask;
import dev.drover.api.flow.FlowTaskPhase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A flow's tasks drawn as a graph in SVG: each task in the column after the deepest task it depends
 * on, arrows from what it waits for, its phase as the box's colour; finally tasks in a column of
 * their own at the end.
 */
final class FlowDrawing {
  private static final int COLUMN = 200;
  private static final int ROW = 56;
  private static final int BOX_WIDTH = 168;
  private static final int BOX_HEIGHT = 38;
  private static final int MARGIN = 12;

  /** A task name before ".Outcome" in a depends expression. */
  private static final Pattern REFERENCE =
      Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?)\\s*\\.");

  record Placed(String name, int column, int row, Set<String> dependencies, boolean isFinally) {}

  private FlowDrawing() {}

  /**
   * What each task waits for among the flow's tasks: its dependsOn, or the tasks its depends
   * expression names. A name of no task (the operator reports the flow invalid) draws no arrow.
   */
  static Set<String> dependencies(FlowTask task, Set<String> known) {
    Set<String> names = new LinkedHashSet<>();
    task.dependsOnOrEmpty().stream().filter(known::contains).forEach(names::add);
    if (task.depends() != null) {
      Matcher matcher = REFERENCE.matcher(task.depends());
      while (matcher.find()) {
        if (known.contains(matcher.group(1))) {
          names.add(matcher.group(1));
        }
      }
    }
    return names;
  }

  /**
   * Columns by depth; rows in the order tasks are declared. A cycle (which the operator reports as
   * invalid) is cut where it closes.
   */
  static List<Placed> layout(List<FlowTask> tasks, List<FlowTask> finallyTasks) {
    Set<String> known = new LinkedHashSet<>();
    tasks.forEach(task -> known.add(task.name()));
    Map<String, Set<String>> waitsFor = new LinkedHashMap<>();
    tasks.forEach(task -> waitsFor.put(task.name(), dependencies(task, known)));
    Map<String, Integer> depth = new LinkedHashMap<>();
    for (String name : waitsFor.keySet()) {
      depthOf(name, waitsFor, depth, new LinkedHashSet<>());
    }
    Map<Integer, Integer> rowsUsed = new LinkedHashMap<>();
    List<Placed> placed = new ArrayList<>();
    int lastColumn = -1;
    for (String name : waitsFor.keySet()) {
      int column = depth.get(name);
      lastColumn = Math.max(lastColumn, column);
      int row = rowsUsed.merge(column, 1, Integer::sum) - 1;
      placed.add(new Placed(name, column, row, waitsFor.get(name), false));
    }
    int finallyRow = 0;
    for (FlowTask task : finallyTasks) {
      placed.add(new Placed(task.name(), lastColumn + 1, finallyRow++, Set.of(), true));
    }
    return placed;
  }

  private static int depthOf(
      String name,
      Map<String, Set<String>> waitsFor,
      Map<String, Integer> depth,
      Set<String> path) {
    Integer known = depth.get(name);
    if (known != null) {
      return known;
    }
    int deepest = -1;
    if (path.add(name)) {
      for (String dependency : waitsFor.getOrDefault(name, Set.of())) {
        deepest = Math.max(deepest, depthOf(dependency, waitsFor, depth, path));
      }
      path.remove(name);
    }
    depth.put(name, deepest + 1);
    return deepest + 1;
  }

  static String svg(List<Placed> placed, Map<String, FlowTaskPhase> phases) {
    int columns = placed.stream().mapToInt(Placed::column).max().orElse(0) + 1;
    int rows = placed.stream().mapToInt(Placed::row).max().orElse(0) + 1;
    Map<String, Placed> byName = new LinkedHashMap<>();
    placed.forEach(task -> byName.put(task.name(), task));
    StringBuilder svg =
        new StringBuilder(
                "<svg class=\"flow-graph\" id=\"flow-graph\" xmlns=\"http://www.w3.org/2000/svg\""
                    + " width=\"")
            .append(columns * COLUMN + MARGIN)
            .append("\" height=\"")
            .append(rows * ROW + MARGIN)
            .append("\" role=\"img\" aria-label=\"flow tasks and their dependencies\">");
    for (Placed task : placed) {
      for (String dependency : task.dependencies()) {
        Placed from = byName.get(dependency);
        int x1 = x(from) + BOX_WIDTH;
        int y1 = y(from) + BOX_HEIGHT / 2;
        int x2 = x(task);
        int y2 = y(task) + BOX_HEIGHT / 2;
        int middle = (x1 + x2) / 2;
        svg.append("<path class=\"edge\" d=\"M")
            .append(x1)
            .append(' ')
            .append(y1)
            .append(" C")
            .append(middle)
            .append(' ')
            .append(y1)
            .append(' ')
            .append(middle)
            .append(' ')
            .append(y2)
            .append(' ')
            .append(x2)
            .append(' ')
            .append(y2)
            .append("\"/>");
      }
    }
    for (Placed task : placed) {
      FlowTaskPhase phase = phases.getOrDefault(task.name(), FlowTaskPhase.Pending);
      svg.append("<g class=\"node phase-")
          .append(esc(phase))
          .append(task.isFinally() ? " finally" : "")
          .append("\" id=\"flow-task-")
          .append(esc(task.name()))
          .append("\"><rect x=\"")
          .append(x(task))
          .append("\" y=\"")
          .append(y(task))
          .append("\" rx=\"6\" width=\"")
          .append(BOX_WIDTH)
          .append("\" height=\"")
          .append(BOX_HEIGHT)
          .append("\"/><text x=\"")
          .append(x(task) + 10)
          .append("\" y=\"")
          .append(y(task) + 16)
          .append("\">")
          .append(esc(task.name()))
          .append("</text><text class=\"sub\" x=\"")
          .append(x(task) + 10)
          .append("\" y=\"")
          .append(y(task) + 31)
          .append("\">")
          .append(esc(phase))
          .append(task.isFinally() ? " · finally" : "")
          .append("</text></g>");
    }
    return svg.append("</svg>").toString();
  }

  private static int x(Placed task) {
    return MARGIN + task.column() * COLUMN;
  }

  private static int y(Placed task) {
    return MARGIN + task.row() * ROW;
  }
}
