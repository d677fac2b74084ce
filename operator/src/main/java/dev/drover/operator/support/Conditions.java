package dev.drover.operator.support;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import java.util.Objects;

/** Builds conditions that keep their transition time while their status stays the same. */
public final class Conditions {
  private Conditions() {}

  public static Condition of(
      String type,
      boolean status,
      String reason,
      String message,
      Long generation,
      String now,
      List<Condition> previous) {
    return of(type, status ? "True" : "False", reason, message, generation, now, previous);
  }

  /** {@code value} is True, False or Unknown. */
  public static Condition of(
      String type,
      String value,
      String reason,
      String message,
      Long generation,
      String now,
      List<Condition> previous) {
    String since =
        previous == null
            ? now
            : previous.stream()
                .filter(c -> type.equals(c.getType()) && value.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(now);
    return new ConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return conditions != null
        && conditions.stream()
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
