package dev.drover.operator.taskrun;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** Which nodes a pod run may use: those its selector matches whose taints its pods tolerate. */
final class NodePlacement {
  /** What a cordoned node amounts to for the scheduler. */
  static final Taint CORDONED =
      new Taint("NoSchedule", "node.kubernetes.io/unschedulable", null, null);

  private NodePlacement() {}

  /** Matching nodes that take the pods, as a DaemonSet would place them; by name. */
  static List<Node> eligible(
      List<Node> nodes, LabelSelector selector, List<Toleration> tolerations) {
    return nodes.stream()
        .filter(n -> Selectors.matches(selector, n.getMetadata().getLabels()))
        .filter(n -> untolerated(n, tolerations).isEmpty())
        .sorted(Comparator.comparing(n -> n.getMetadata().getName()))
        .toList();
  }

  /** Says why {@link #eligible} found no node. */
  static String explainNoTargets(
      List<Node> nodes, LabelSelector selector, List<Toleration> tolerations) {
    List<Node> matching =
        nodes.stream()
            .filter(n -> Selectors.matches(selector, n.getMetadata().getLabels()))
            .toList();
    if (matching.isEmpty()) {
      return "no node matches the selector " + Selectors.describe(selector);
    }
    Taint example = untolerated(matching.get(0), tolerations).get(0);
    return matching.size()
        + " node(s) match the selector but each has a taint the pod does not tolerate, e.g. "
        + example.getKey()
        + (example.getValue() == null ? "" : "=" + example.getValue())
        + ":"
        + example.getEffect();
  }

  /**
   * Taints of the node that keep a pod off it (NoSchedule, NoExecute) and that no toleration
   * covers.
   */
  static List<Taint> untolerated(Node node, List<Toleration> tolerations) {
    List<Taint> taints = new ArrayList<>();
    if (node.getSpec() != null && node.getSpec().getTaints() != null) {
      taints.addAll(node.getSpec().getTaints());
    }
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      taints.add(CORDONED);
    }
    List<Toleration> given = tolerations == null ? List.of() : tolerations;
    return taints.stream()
        .filter(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
        .filter(t -> given.stream().noneMatch(tol -> tolerates(tol, t)))
        .toList();
  }

  /**
   * Kubernetes' toleration rule: same effect (or any), same key (or any with Exists), same value
   * unless Exists.
   */
  static boolean tolerates(Toleration toleration, Taint taint) {
    if (toleration.getEffect() != null
        && !toleration.getEffect().isEmpty()
        && !toleration.getEffect().equals(taint.getEffect())) {
      return false;
    }
    boolean exists = "Exists".equals(toleration.getOperator());
    boolean anyKey = toleration.getKey() == null || toleration.getKey().isEmpty();
    if (anyKey) {
      return exists;
    }
    if (!toleration.getKey().equals(taint.getKey())) {
      return false;
    }
    return exists
        || Objects.equals(emptyToNull(toleration.getValue()), emptyToNull(taint.getValue()));
  }

  private static String emptyToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }
}
