package dev.drover.agent.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.agent.process.OutputSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputStoreTest {
  @TempDir Path dir;

  private OutputStore store(long maxBytes, long totalBytes) {
    return new OutputStore(
        new OutputSettings(dir, maxBytes, totalBytes, Duration.ofSeconds(5)),
        Clock.fixed(Instant.parse("2026-11-28T10:15:30.250Z"), ZoneOffset.UTC));
  }

  private static void write(OutputSink sink, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    sink.write(bytes, bytes.length);
  }

  private static String content(StoredOutput output) throws IOException {
    return Files.readString(output.files().log());
  }

  @Test
  void anExecutionsWholeOutputIsKeptUnderItsNamespaceAndName() throws IOException {
    OutputStore store = store(1024, 4096);
    OutputSink sink = store.record("ops", "scan-1");
    write(sink, "first\n");

    assertThat(store.find("ops", "scan-1"))
        .get()
        .extracting(StoredOutput::complete)
        .isEqualTo(false);
    write(sink, "second\n");
    sink.close();

    StoredOutput output = store.find("ops", "scan-1").orElseThrow();
    assertThat(output.complete()).isTrue();
    assertThat(output.truncated()).isFalse();
    assertThat(content(output)).isEqualTo("first\nsecond\n");
    assertThat(store.find("ops", "scan-2")).isEmpty();
    assertThat(store.find("dev", "scan-1")).isEmpty();
  }

  @Test
  void outputPastThePerExecutionLimitIsCountedAndSaidButNotKept() throws IOException {
    OutputStore store = store(10, 4096);
    OutputSink sink = store.record("ops", "chatty");
    write(sink, "0123456789abcdef");
    write(sink, "more");
    sink.close();

    StoredOutput output = store.find("ops", "chatty").orElseThrow();
    assertThat(output.truncated()).isTrue();
    assertThat(content(output))
        .startsWith("0123456789\n[drover: 10 more bytes were not kept: the limit is 10 bytes");
  }

  @Test
  void pastTheTotalTheOldestFinishedOutputGoesFirstAndRunningOutputStays() throws IOException {
    OutputStore store = store(100, 250);
    OutputSink running = store.record("ops", "running");
    write(running, "r".repeat(100));
    OutputSink oldest = store.record("ops", "oldest");
    write(oldest, "o".repeat(100));
    oldest.close();
    Files.setLastModifiedTime(
        store.find("ops", "oldest").orElseThrow().files().log(),
        java.nio.file.attribute.FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
    OutputSink newer = store.record("ops", "newer");
    write(newer, "n".repeat(100));

    newer.close();

    assertThat(store.find("ops", "oldest")).isEmpty();
    assertThat(store.find("ops", "newer")).isPresent();
    assertThat(store.find("ops", "running")).isPresent();
  }

  @Test
  void afterARestartEarlierOutputIsServedAsComplete() throws IOException {
    OutputSink sink = store(1024, 4096).record("ops", "before-restart");
    write(sink, "kept\n");
    sink.close();

    StoredOutput output = store(1024, 4096).find("ops", "before-restart").orElseThrow();

    assertThat(output.complete()).isTrue();
    assertThat(content(output)).isEqualTo("kept\n");
  }

  @Test
  void eachChunkIsDatedSoLinesCanBeGivenTheTimeTheyWereWritten() throws IOException {
    OutputStore store = store(1024, 4096);
    OutputSink sink = store.record("ops", "dated");
    write(sink, "a\nb");
    sink.close();

    LineTimes times = LineTimes.read(store.find("ops", "dated").orElseThrow().files().index());

    assertThat(times.timeOf(0)).isEqualTo("2026-11-28T10:15:30.250Z");
    assertThat(times.timeOf(2)).isEqualTo("2026-11-28T10:15:30.250Z");
  }

  @Test
  void namesFromOutsideMustBeKubernetesNames() {
    assertThat(OutputStore.isName("scan-1.attempt-2")).isTrue();
    assertThat(OutputStore.isName("..")).isFalse();
    assertThat(OutputStore.isName("a/b")).isFalse();
    assertThat(OutputStore.isName("Upper")).isFalse();
  }

  @Test
  void limitsThatCannotHoldOneExecutionAreRefused() {
    assertThatThrownBy(() -> new OutputSettings(dir, 100, 50, Duration.ofSeconds(5)))
        .hasMessageContaining(
            "--output-total-bytes (50) must be at least --output-max-bytes (100)");
    assertThatThrownBy(() -> new OutputSettings(dir, 0, 50, Duration.ofSeconds(5)))
        .hasMessageContaining("--output-max-bytes must be positive");
  }
}
