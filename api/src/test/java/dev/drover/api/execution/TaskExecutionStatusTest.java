package dev.drover.api.execution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TaskExecutionStatusTest {
  @Test
  void aResultLosesItsTrailingNewlinesAndNothingElse() {
    assertThat(TaskExecutionStatus.resultOf("  42 tables\n\n")).isEqualTo("  42 tables");
    assertThat(TaskExecutionStatus.resultOf("line 1\r\nline 2\r\n")).isEqualTo("line 1\r\nline 2");
  }

  @Test
  void nothingWrittenOrOnlyNewlinesIsNoResult() {
    assertThat(TaskExecutionStatus.resultOf(null)).isNull();
    assertThat(TaskExecutionStatus.resultOf("")).isNull();
    assertThat(TaskExecutionStatus.resultOf("\n\r\n")).isNull();
  }
}
