package dev.drover.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
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
  void keepsOnlyTheLastBytesOfAHundredMegabytes() throws IOException {
    OutputTail tail = new OutputTail(4096);
    long size = 100L * 1024 * 1024;
    tail.drain(new RepeatingStream(size, "0123456789".getBytes(StandardCharsets.UTF_8)));

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

  /** A stream of {@code size} bytes repeating a pattern, without holding them in memory. */
  private static final class RepeatingStream extends InputStream {
    private final long size;
    private final byte[] pattern;
    private long position;

    RepeatingStream(long size, byte[] pattern) {
      this.size = size;
      this.pattern = pattern;
    }

    @Override
    public int read() {
      return position < size ? pattern[(int) (position++ % pattern.length)] : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (position >= size) {
        return -1;
      }
      int n = (int) Math.min(length, size - position);
      for (int i = 0; i < n; i++) {
        buffer[offset + i] = pattern[(int) (position++ % pattern.length)];
      }
      return n;
    }
  }
}
