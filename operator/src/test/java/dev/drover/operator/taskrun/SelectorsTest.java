package dev.drover.operator.taskrun;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorsTest {
  private static final Map<String, String> DB_HOST = Map.of("role", "db", "zone", "eu-1");

  @Test
  void matchLabelsAndExpressionsMustAllHold() {
    LabelSelector selector =
        new LabelSelectorBuilder()
            .addToMatchLabels("role", "db")
            .addNewMatchExpression()
            .withKey("zone")
            .withOperator("In")
            .withValues("eu-1", "eu-2")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("cordoned")
            .withOperator("DoesNotExist")
            .endMatchExpression()
            .build();

    assertThat(Selectors.matches(selector, DB_HOST)).isTrue();
    assertThat(Selectors.matches(selector, Map.of("role", "db", "zone", "us-1"))).isFalse();
    assertThat(Selectors.matches(selector, Map.of("role", "db", "zone", "eu-1", "cordoned", "yes")))
        .isFalse();
  }

  @Test
  void anEmptySelectorMatchesEverything() {
    assertThat(Selectors.matches(new LabelSelector(), DB_HOST)).isTrue();
    assertThat(Selectors.matches(new LabelSelector(), null)).isTrue();
  }

  @Test
  void notInAndExists() {
    LabelSelector selector =
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("zone")
            .withOperator("NotIn")
            .withValues("us-1")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("role")
            .withOperator("Exists")
            .endMatchExpression()
            .build();

    assertThat(Selectors.matches(selector, DB_HOST)).isTrue();
    assertThat(Selectors.matches(selector, Map.of("zone", "eu-1"))).isFalse();
  }

  @Test
  void unknownOperatorsAndMissingValuesAreProblems() {
    LabelSelector unknown =
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("a")
            .withOperator("Like")
            .withValues("x")
            .endMatchExpression()
            .build();
    LabelSelector noValues =
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("a")
            .withOperator("In")
            .endMatchExpression()
            .build();

    assertThat(Selectors.problem(unknown))
        .hasValueSatisfying(
            p -> assertThat(p).startsWith("selector operator 'Like' is not one of"));
    assertThat(Selectors.problem(noValues)).hasValue("selector operator In needs values");
    assertThat(Selectors.problem(null)).hasValue("selector is required");
  }
}
