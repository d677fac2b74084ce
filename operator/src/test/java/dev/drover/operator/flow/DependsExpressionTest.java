package dev.drover.operator.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.api.flow.FlowTaskPhase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DependsExpressionTest {
  @ParameterizedTest(name = "{0} with a {1}, b {2}, c {3} -> {4}")
  @CsvSource(
      nullValues = "-",
      textBlock =
          """
          # expression,                          a,         b,         c,         outcome
          a.Succeeded,                           Succeeded, -,         -,         true
          a.Succeeded,                           Failed,    -,         -,         false
          a.Succeeded,                           Skipped,   -,         -,         false
          a.Succeeded,                           Running,   -,         -,         unknown
          a.Succeeded,                           Pending,   -,         -,         unknown
          a.Succeeded,                           -,         -,         -,         unknown
          a.Failed,                              Failed,    -,         -,         true
          a.Failed,                              Cancelled, -,         -,         true
          a.Failed,                              Succeeded, -,         -,         false
          a.Failed,                              Running,   -,         -,         unknown
          a.Skipped,                             Skipped,   -,         -,         true
          a.Skipped,                             Failed,    -,         -,         false
          a.Done,                                Succeeded, -,         -,         true
          a.Done,                                Failed,    -,         -,         true
          a.Done,                                Skipped,   -,         -,         true
          a.Done,                                Cancelled, -,         -,         true
          a.Done,                                Running,   -,         -,         unknown
          a,                                     Succeeded, -,         -,         true
          a,                                     Skipped,   -,         -,         true
          a,                                     Failed,    -,         -,         false
          a,                                     Cancelled, -,         -,         false
          a,                                     Pending,   -,         -,         unknown
          !a.Succeeded,                          Failed,    -,         -,         true
          !a.Succeeded,                          Succeeded, -,         -,         false
          !a.Succeeded,                          Running,   -,         -,         unknown
          !!a.Failed,                            Failed,    -,         -,         true
          a.Succeeded && b.Succeeded,            Succeeded, Succeeded, -,         true
          a.Succeeded && b.Succeeded,            Succeeded, Running,   -,         unknown
          a.Succeeded && b.Succeeded,            Running,   Failed,    -,         false
          a.Succeeded || b.Succeeded,            Running,   Succeeded, -,         true
          a.Succeeded || b.Succeeded,            Failed,    Running,   -,         unknown
          a.Succeeded || b.Succeeded,            Failed,    Skipped,   -,         false
          a.Failed || b.Succeeded && c.Skipped,  Failed,    Running,   Succeeded, true
          a.Failed || b.Succeeded && c.Skipped,  Succeeded, Succeeded, Skipped,   true
          a.Failed || b.Succeeded && c.Skipped,  Succeeded, Succeeded, Failed,    false
          a.Failed || b.Succeeded && c.Skipped,  Succeeded, Failed,    Running,   false
          a.Failed || b.Succeeded && c.Skipped,  Running,   Failed,    Running,   unknown
          (a.Failed || b.Succeeded) && c.Skipped, Failed,   Running,   Succeeded, false
          (a.Failed || b.Succeeded) && c.Skipped, Failed,   Running,   Skipped,   true
          !(a.Succeeded && b.Succeeded),         Running,   Failed,    -,         true
          !(a.Succeeded && b.Succeeded),         Running,   Succeeded, -,         unknown
          !(a.Succeeded && b.Succeeded),         Succeeded, Succeeded, -,         false
          """)
  void evaluatesInThreeValuedLogic(
      String expression, FlowTaskPhase a, FlowTaskPhase b, FlowTaskPhase c, String outcome) {
    Map<String, FlowTaskPhase> phases = new HashMap<>();
    phases.put("a", a);
    phases.put("b", b);
    phases.put("c", c);

    Optional<Boolean> value = DependsExpression.parse(expression).evaluate(phases::get);

    assertThat(value.map(String::valueOf).orElse("unknown")).isEqualTo(outcome);
  }

  @Test
  void dependsOnMeansEveryTaskSucceeded() {
    DependsExpression both = DependsExpression.allSucceeded(List.of("a", "b"));

    assertThat(both).hasToString("a.Succeeded && b.Succeeded");
    assertThat(both.evaluate(Map.of("a", FlowTaskPhase.Succeeded, "b", FlowTaskPhase.Running)::get))
        .isEmpty();
    assertThat(both.evaluate(Map.of("a", FlowTaskPhase.Skipped, "b", FlowTaskPhase.Running)::get))
        .hasValue(false);
    assertThat(DependsExpression.allSucceeded(List.of("a"))).hasToString("a.Succeeded");
  }

  @Test
  void dependingOnNothingHoldsAtOnce() {
    DependsExpression nothing = DependsExpression.allSucceeded(List.of());

    assertThat(nothing.evaluate(task -> null)).hasValue(true);
    assertThat(nothing.tasks()).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiterString = "=>",
      textBlock =
          """
          a.Succeeded&&b.Failed                  => a.Succeeded && b.Failed
          '  ( a )  '                            => a
          a.Failed || b.Succeeded && c.Skipped   => a.Failed || b.Succeeded && c.Skipped
          (a.Failed || b.Succeeded) && c.Skipped => (a.Failed || b.Succeeded) && c.Skipped
          a.Failed || (b.Succeeded && c.Skipped) => a.Failed || b.Succeeded && c.Skipped
          a || (b || c)                          => a || b || c
          (a && b) && c                          => a && b && c
          !(a && b)                              => !(a && b)
          !(a.Done)                              => !a.Done
          ! ! a                                  => !!a
          db-eu-1.Failed                         => db-eu-1.Failed
          """)
  void printsACanonicalTextThatReadsTheSame(String text, String canonical) {
    DependsExpression expression = DependsExpression.parse(text);

    assertThat(expression).hasToString(canonical);
    assertThat(DependsExpression.parse(canonical)).hasToString(canonical);
  }

  @Test
  void namesEachTaskOnceInOrderOfAppearance() {
    assertThat(DependsExpression.parse("c.Failed || (a && !c.Done) || b").tasks())
        .containsExactly("c", "a", "b");
  }

  @ParameterizedTest(name = "{0} handles a failure of a: {1}")
  @CsvSource(
      textBlock =
          """
          a.Failed,                true
          a.Done,                  true
          b.Succeeded || a.Failed, true
          !a.Failed,               true
          a,                       false
          a.Succeeded,             false
          a.Skipped,               false
          !a.Succeeded,            false
          b.Failed,                false
          """)
  void handlesAFailureItNamesAsFailedOrDone(String expression, boolean handles) {
    assertThat(DependsExpression.parse(expression).handlesFailureOf("a")).isEqualTo(handles);
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(
      delimiterString = "=>",
      textBlock =
          """
          a.Succeeded &&    => expected a task name at column 15
          ''                => expected a task name at column 1
          a && ||           => expected a task name at column 6
          !                 => expected a task name at column 2
          ()                => expected a task name at column 2
          a.Finished        => unknown state "Finished" at column 3; use Succeeded, Failed, Skipped or Done
          a.succeeded       => unknown state "succeeded" at column 3; use Succeeded, Failed, Skipped or Done
          a.                => expected a state at column 3; use Succeeded, Failed, Skipped or Done
          Backup.Succeeded  => invalid task name "Backup" at column 1; task names are lowercase letters, digits and inner hyphens
          a && db-.Failed   => invalid task name "db-" at column 6; task names are lowercase letters, digits and inner hyphens
          (a && b           => unbalanced parenthesis: "(" at column 1 is not closed
          (a && (b)         => unbalanced parenthesis: "(" at column 1 is not closed
          a && b)           => unbalanced parenthesis: ")" at column 7 has no "("
          a & b             => unexpected "&" at column 3; expected && or ||
          a b               => unexpected "b" at column 3; expected && or ||
          (a b)             => unexpected "b" at column 4; expected &&, || or )
          a .Failed         => unexpected "." at column 3; expected && or ||
          """)
  void saysWhatIsWrongAndWhere(String text, String problem) {
    assertThatThrownBy(() -> DependsExpression.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("depends \"" + text + "\": " + problem);
  }

  @Test
  void nestingIsBoundedSoNoTextCanExhaustTheStack() {
    String deep = "(".repeat(40) + "a" + ")".repeat(40);

    assertThatThrownBy(() -> DependsExpression.parse(deep))
        .hasMessageEndingWith(": more than 32 nested levels at column 33");
    assertThat(DependsExpression.parse("(".repeat(32) + "a" + ")".repeat(32))).hasToString("a");
  }
}
