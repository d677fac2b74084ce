package dev.drover.operator.taskrun;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import org.junit.jupiter.api.Test;

class MaxFailuresTest {
  @Test
  void aCountIsUsedAsItIs() {
    assertThat(MaxFailures.threshold(new IntOrString(3), 40)).isEqualTo(3);
    assertThat(MaxFailures.threshold(new IntOrString("3"), 40)).isEqualTo(3);
  }

  @Test
  void aPercentageOfTheTargetsIsRoundedUpAndIsAtLeastOne() {
    assertThat(MaxFailures.threshold(new IntOrString("10%"), 40)).isEqualTo(4);
    assertThat(MaxFailures.threshold(new IntOrString("10%"), 41)).isEqualTo(5);
    assertThat(MaxFailures.threshold(new IntOrString("1%"), 3)).isEqualTo(1);
  }

  @Test
  void withoutABoundEveryTargetMayFail() {
    assertThat(MaxFailures.threshold(null, 40)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void malformedValuesAreExplained() {
    assertThat(MaxFailures.problem(new IntOrString("ten")))
        .hasValue("maxFailures must be a count such as 3 or a percentage such as 10%, got 'ten'");
    assertThat(MaxFailures.problem(new IntOrString("150%"))).isPresent();
    assertThat(MaxFailures.problem(new IntOrString(0))).hasValue("maxFailures must be at least 1");
    assertThat(MaxFailures.problem(new IntOrString("50%"))).isEmpty();
  }
}
