package dev.drover.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputTailTest {
  @Test
  void keepsEverythingWhileItFits() {
    OutputTail tail = new OutputTail(16);
    byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
    tail.append(hello, hello.length);

    assertThat(tail.text()).isEqualTo("hello\n");
  }

  @Test
  void keepsOnlyTheLastBytesOfAHundredMegabytes() {
    OutputTail tail = new OutputTail(4096);
    long size = 100L * 1024 * 1024;
    byte[] chunk = "0123456789".repeat(800).getBytes(StandardCharsets.UTF_8);
    for (long appended = 0; appended < size; appended += chunk.length) {
      tail.append(chunk, (int) Math.min(chunk.length, size - appended));
    }

    assertThat(tail.totalBytes()).isEqualTo(size);
    assertThat(tail.text()).hasSize(4096).endsWith("0123456789");
  }

  @Test
  void aMultiByteCharacterCutAtTheStartIsDropped() {
    OutputTail tail = new OutputTail(4);
    byte[] text = "aé€".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 3 bytes
    tail.append(text, text.length);

    assertThat(tail.text()).isEqualTo("€");
  }
}
