package dev.drover.operator.taskrun;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Kubernetes label-selector semantics: matchLabels and matchExpressions, all must hold. */
final class Selectors {
  private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

  private Selectors() {}

  static Optional<String> problem(LabelSelector selector) {
    if (selector == null) {
      return Optional.of("selector is required");
    }
    for (LabelSelectorRequirement r : expressions(selector)) {
      if (!OPERATORS.contains(r.getOperator())) {
        return Optional.of(
            "selector operator '" + r.getOperator() + "' is not one of " + OPERATORS);
      }
      boolean needsValues = r.getOperator().equals("In") || r.getOperator().equals("NotIn");
      boolean hasValues = r.getValues() != null && !r.getValues().isEmpty();
      if (needsValues != hasValues) {
        return Optional.of(
            "selector operator "
                + r.getOperator()
                + (needsValues ? " needs values" : " takes no values"));
      }
    }
    return Optional.empty();
  }

  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    Map<String, String> present = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null
        && !selector.getMatchLabels().entrySet().stream()
            .allMatch(e -> e.getValue().equals(present.get(e.getKey())))) {
      return false;
    }
    return expressions(selector).stream().allMatch(r -> holds(r, present));
  }

  private static boolean holds(LabelSelectorRequirement r, Map<String, String> labels) {
    String value = labels.get(r.getKey());
    return switch (r.getOperator()) {
      case "In" -> value != null && r.getValues().contains(value);
      case "NotIn" -> value == null || !r.getValues().contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default -> false;
    };
  }

  private static List<LabelSelectorRequirement> expressions(LabelSelector selector) {
    return selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
  }

  /** The selector as kubectl would write it, e.g. role=db,zone In [a, b]. */
  static String describe(LabelSelector selector) {
    StringBuilder text = new StringBuilder();
    if (selector.getMatchLabels() != null) {
      selector
          .getMatchLabels()
          .forEach(
              (k, v) -> text.append(text.length() == 0 ? "" : ",").append(k).append('=').append(v));
    }
    if (selector.getMatchExpressions() != null) {
      selector
          .getMatchExpressions()
          .forEach(
              r ->
                  text.append(text.length() == 0 ? "" : ",")
                      .append(r.getKey())
                      .append(' ')
                      .append(r.getOperator())
                      .append(' ')
                      .append(r.getValues()));
    }
    return text.length() == 0 ? "{}" : text.toString();
  }
}
