package dev.drover.agent.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OutputQueryTest {
  @Test
  void withoutParametersTheWholeOutputIsSentOnceWithoutTimes() {
    assertThat(OutputQuery.parse(null)).isEqualTo(new OutputQuery(0, false, false));
    assertThat(OutputQuery.parse("")).isEqualTo(new OutputQuery(0, false, false));
  }

  @Test
  void parametersAreReadAsGiven() {
    assertThat(OutputQuery.parse("offset=-512&follow=true&timestamps"))
        .isEqualTo(new OutputQuery(-512, true, true));
    assertThat(OutputQuery.parse("follow=false&offset=%2D3"))
        .isEqualTo(new OutputQuery(-3, false, false));
  }

  @Test
  void anOffsetCountsFromTheStartOrWhenNegativeBackFromTheEndAndStaysInsideTheOutput() {
    assertThat(new OutputQuery(4, false, false).start(10)).isEqualTo(4);
    assertThat(new OutputQuery(40, false, false).start(10)).isEqualTo(10);
    assertThat(new OutputQuery(-4, false, false).start(10)).isEqualTo(6);
    assertThat(new OutputQuery(-40, false, false).start(10)).isZero();
  }

  @Test
  void aBadParameterIsNamedWithWhatItShouldBe() {
    assertThatThrownBy(() -> OutputQuery.parse("offset=abc"))
        .hasMessage("offset must be a whole number of bytes (negative: from the end), got \"abc\"");
    assertThatThrownBy(() -> OutputQuery.parse("follow=yes"))
        .hasMessage("follow must be true or false, got \"yes\"");
    assertThatThrownBy(() -> OutputQuery.parse("tail=5"))
        .hasMessage("unknown parameter \"tail\"; known: offset, follow, timestamps");
  }
}
