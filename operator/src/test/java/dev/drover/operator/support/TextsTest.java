package dev.drover.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextsTest {
  @Test
  void aLongTextKeepsItsEnd() {
    assertThat(Texts.tail("first line\nlast line", 9)).isEqualTo("last line");
  }

  @Test
  void aTextThatFitsIsKeptWhole() {
    assertThat(Texts.tail("exactly", 7)).isEqualTo("exactly");
    assertThat(Texts.tail("short", 100)).isEqualTo("short");
    assertThat(Texts.tail("", 3)).isEmpty();
  }

  @Test
  void noTextStaysNone() {
    assertThat(Texts.tail(null, 10)).isNull();
  }
}
