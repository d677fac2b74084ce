package dev.drover.operator.taskrun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.TaskRunSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecProblemsTest {
  @Test
  void aCompleteSpecHasNoProblem() {
    assertThat(SpecProblems.of(Fixtures.spec(Dispatch.Broadcast))).isEmpty();
  }

  @Test
  void aSpecWithoutSelectorSaysWhereOneCanBeSet() {
    assertThat(
            SpecProblems.of(Fixtures.spec(Dispatch.Broadcast).toBuilder().selector(null).build()))
        .containsExactly("selector is required (in the run or its Task's template)");
  }

  @Test
  void anEmptySpecNamesEveryMissingPart() {
    assertThat(SpecProblems.of(TaskRunSpec.builder().build()))
        .containsExactly(
            "selector is required (in the run or its Task's template)",
            "either command or script is required");
    assertThat(SpecProblems.of(null)).containsExactly("spec is required");
  }

  @Test
  void aSelectorWithAnUnknownOperatorIsStillNamed() {
    TaskRunSpec spec =
        Fixtures.spec(Dispatch.Broadcast).toBuilder()
            .selector(
                new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
                    .addNewMatchExpression()
                    .withKey("role")
                    .withOperator("Like")
                    .withValues(List.of("db"))
                    .endMatchExpression()
                    .build())
            .build();

    assertThat(SpecProblems.of(spec))
        .singleElement()
        .asString()
        .startsWith("selector operator 'Like'");
  }
}
