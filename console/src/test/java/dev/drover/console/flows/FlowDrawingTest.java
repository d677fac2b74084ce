package dev.drover.console.flows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.flow.FlowTask;
import dev.drover.api.flow.FlowTaskPhase;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlowDrawingTest {
  private static FlowTask task(String name, List<String> dependsOn, String depends) {
    return new FlowTask(name, dependsOn, depends, null, null, null, null, null);
  }

  @Test
  void eachTaskStandsInTheColumnAfterTheDeepestTaskItWaitsFor() {
    var placed =
        FlowDrawing.layout(
            List.of(
                task("build", null, null),
                task("test", List.of("build"), null),
                task("lint", List.of("build"), null),
                task("deploy", List.of("test", "lint"), null)),
            List.of(task("notify", null, null)));

    assertThat(placed)
        .extracting(FlowDrawing.Placed::name, FlowDrawing.Placed::column, FlowDrawing.Placed::row)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("build", 0, 0),
            org.assertj.core.groups.Tuple.tuple("test", 1, 0),
            org.assertj.core.groups.Tuple.tuple("lint", 1, 1),
            org.assertj.core.groups.Tuple.tuple("deploy", 2, 0),
            org.assertj.core.groups.Tuple.tuple("notify", 3, 0));
  }

  @Test
  void aDependsExpressionDrawsAnArrowFromEveryTaskItNames() {
    assertThat(
            FlowDrawing.dependencies(
                task("cleanup", null, "build.Failed || (test.Succeeded && nosuch.Failed)"),
                Set.of("build", "test", "cleanup")))
        .containsExactly("build", "test");
  }

  @Test
  void aNameOfNoTaskDrawsNoArrowAndACycleIsCut() {
    var placed =
        FlowDrawing.layout(
            List.of(task("a", List.of("b", "ghost"), null), task("b", List.of("a"), null)),
            List.of());

    assertThat(FlowDrawing.svg(placed, Map.of()))
        .contains("id=\"flow-task-a\"", "id=\"flow-task-b\"");
    assertThat(placed).allSatisfy(task -> assertThat(task.dependencies()).doesNotContain("ghost"));
  }

  @Test
  void theSvgColoursEachTaskByItsPhaseAndEscapesNothingUnsafe() {
    String svg =
        FlowDrawing.svg(
            FlowDrawing.layout(
                List.of(task("a", null, null), task("b", List.of("a"), null)), List.of()),
            Map.of("a", FlowTaskPhase.Succeeded));

    assertThat(svg)
        .contains("<g class=\"node phase-Succeeded\" id=\"flow-task-a\">")
        .contains("<g class=\"node phase-Pending\" id=\"flow-task-b\">")
        .containsOnlyOnce("<path class=\"edge\"");
  }
}
