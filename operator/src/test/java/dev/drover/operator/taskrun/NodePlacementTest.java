package dev.drover.operator.taskrun;

import static dev.drover.operator.taskrun.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodePlacementTest {
  private static final LabelSelector DB =
      new LabelSelectorBuilder().addToMatchLabels("role", "db").build();
  private static final Taint DEDICATED = new Taint("NoSchedule", "dedicated", null, "db");

  private static List<String> eligible(List<Node> nodes, Toleration... tolerations) {
    return NodePlacement.eligible(nodes, DB, List.of(tolerations)).stream()
        .map(n -> n.getMetadata().getName())
        .toList();
  }

  @Test
  void nodesMatchingTheSelectorAreTargetsInNameOrder() {
    assertThat(eligible(List.of(node("db-2", "db"), node("web-1", "web"), node("db-1", "db"))))
        .containsExactly("db-1", "db-2");
  }

  @Test
  void aNodeWithASchedulingTaintIsSkippedUnlessThePodToleratesIt() {
    List<Node> nodes = List.of(node("db-1", "db"), node("db-2", "db", DEDICATED));

    assertThat(eligible(nodes)).containsExactly("db-1");
    assertThat(eligible(nodes, new Toleration("NoSchedule", "dedicated", "Equal", null, "db")))
        .containsExactly("db-1", "db-2");
    assertThat(eligible(nodes, new Toleration(null, "dedicated", "Exists", null, null)))
        .containsExactly("db-1", "db-2");
    assertThat(eligible(nodes, new Toleration(null, null, "Exists", null, null)))
        .as("tolerates everything")
        .containsExactly("db-1", "db-2");
    assertThat(eligible(nodes, new Toleration("NoSchedule", "dedicated", "Equal", null, "web")))
        .containsExactly("db-1");
    assertThat(eligible(nodes, new Toleration("NoExecute", "dedicated", "Exists", null, null)))
        .containsExactly("db-1");
  }

  @Test
  void aPreferenceTaintKeepsNoPodAway() {
    assertThat(
            eligible(
                List.of(node("db-1", "db", new Taint("PreferNoSchedule", "busy", null, null)))))
        .containsExactly("db-1");
  }

  @Test
  void aCordonedNodeIsSkippedLikeATaintedOne() {
    Node cordoned = node("db-1", "db");
    cordoned.getSpec().setUnschedulable(true);

    assertThat(eligible(List.of(cordoned))).isEmpty();
    assertThat(
            eligible(
                List.of(cordoned),
                new Toleration(
                    "NoSchedule", "node.kubernetes.io/unschedulable", "Exists", null, null)))
        .containsExactly("db-1");
  }

  @Test
  void theExplanationSaysWhetherNothingMatchedOrATaintGotInTheWay() {
    assertThat(NodePlacement.explainNoTargets(List.of(node("web-1", "web")), DB, List.of()))
        .isEqualTo("no node matches the selector role=db");
    assertThat(NodePlacement.explainNoTargets(List.of(node("db-1", "db", DEDICATED)), DB, null))
        .isEqualTo(
            "1 node(s) match the selector but each has a taint the pod does not tolerate, e.g."
                + " dedicated=db:NoSchedule");
  }
}
