package dev.drover.agent.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.drover.agent.fencing.ManualTime;
import dev.drover.agent.process.OutputSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
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

  private static void finished(OutputStore store, String name, String text) {
    OutputSink sink = store.record("ops", name);
    write(sink, text);
    sink.close();
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
    assertThat(output.files().log()).isEqualTo(dir.resolve("ops").resolve("scan-1.log"));
    assertThat(store.find("ops", "scan-2")).isEmpty();
    assertThat(store.find("dev", "scan-1")).isEmpty();
  }

  @Test
  void keptOutputIsReadableByTheAgentsUserOnly() throws IOException {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path directory = dir.resolve("agent").resolve("output");
    OutputStore store =
        new OutputStore(
            new OutputSettings(directory, 1024, 4096, Duration.ofSeconds(5)), Clock.systemUTC());
    OutputSink sink = store.record("ops", "secret");
    write(sink, "token=abc\n");
    sink.close();

    OutputFiles files = store.find("ops", "secret").orElseThrow().files();
    assertThat(List.of(directory.getParent(), directory, files.log().getParent()))
        .allSatisfy(d -> assertThat(permissions(d)).isEqualTo("rwx------"));
    assertThat(List.of(files.log(), files.index()))
        .allSatisfy(f -> assertThat(permissions(f)).isEqualTo("rw-------"));
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void outputWhoseIndexCannotBeMadeIsNotKeptAtAll() {
    OutputFiles files =
        new OutputFiles(
            dir.resolve("scan.log"),
            dir.resolve("gone").resolve("scan.idx"),
            dir.resolve("scan.cut"));

    assertThatThrownBy(() -> new OutputRecorder(files, 1024, Clock.systemUTC(), null))
        .isInstanceOf(IOException.class);
    assertThat(files.log()).doesNotExist();
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
        .isEqualTo(
            "0123456789\n[drover: 10 more bytes were not kept: the limit is 10 bytes an execution"
                + " (--output-max-bytes)]\n");
  }

  @Test
  void outputCutAtTheEndOfALineIsFollowedByTheNoticeAloneOnTheNextLine() throws IOException {
    OutputStore store = store(6, 4096);
    OutputSink sink = store.record("ops", "chatty");
    write(sink, "12345\nabc");
    sink.close();

    assertThat(content(store.find("ops", "chatty").orElseThrow()).lines())
        .containsExactly(
            "12345",
            "[drover: 3 more bytes were not kept: the limit is 6 bytes an execution"
                + " (--output-max-bytes)]");
  }

  @Test
  void pastTheTotalTheOldestFinishedOutputGoesFirstAndRunningOutputStays() {
    OutputStore store = store(100, 250);
    OutputSink running = store.record("ops", "running");
    write(running, "r".repeat(100));
    finished(store, "oldest", "o".repeat(100));

    finished(store, "newer", "n".repeat(100));

    assertThat(store.find("ops", "oldest")).isEmpty();
    assertThat(store.find("ops", "newer")).isPresent();
    assertThat(store.find("ops", "running")).isPresent();
  }

  @Test
  void aRunningOutputThatGrowsPastTheTotalPushesOutFinishedOnesAtOnce() {
    OutputStore store = store(200, 300);
    finished(store, "first", "1".repeat(100));
    finished(store, "second", "2".repeat(100));
    OutputSink growing = store.record("ops", "growing");

    write(growing, "g".repeat(100));

    assertThat(store.find("ops", "first")).isEmpty();
    assertThat(store.find("ops", "second")).isPresent();
    assertThat(store.find("ops", "growing"))
        .get()
        .extracting(StoredOutput::complete)
        .isEqualTo(false);
  }

  @Test
  void runningOutputIsNeverRemovedEvenWhenRunningOutputAloneIsPastTheTotal() {
    OutputStore store = store(100, 100);
    OutputSink one = store.record("ops", "one");
    OutputSink two = store.record("ops", "two");

    write(one, "1".repeat(100));
    write(two, "2".repeat(100));

    assertThat(store.find("ops", "one")).isPresent();
    assertThat(store.find("ops", "two")).isPresent();
  }

  @Test
  void onARestartOutputLeftOverCountsAndTheOldestGoesFirst() throws IOException {
    OutputStore before = store(100, 4096);
    finished(before, "older", "o".repeat(100));
    finished(before, "younger", "y".repeat(100));
    Files.setLastModifiedTime(
        before.find("ops", "older").orElseThrow().files().log(),
        FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));

    OutputStore after = store(100, 150);

    assertThat(after.find("ops", "older")).isEmpty();
    assertThat(after.find("ops", "younger"))
        .get()
        .extracting(StoredOutput::complete)
        .isEqualTo(true);
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
  void eachChunkIsDatedSoThatALineGetsTheTimeOfTheChunkItBeganIn() throws IOException {
    ManualTime time = new ManualTime();
    OutputStore store =
        new OutputStore(new OutputSettings(dir, 1024, 4096, Duration.ofSeconds(5)), time);
    OutputSink sink = store.record("ops", "dated");
    write(sink, "one\ntw");
    time.advance(Duration.ofMillis(1500));
    write(sink, "o\nthree\n");
    sink.close();

    try (LineTimes times =
        new LineTimes(store.find("ops", "dated").orElseThrow().files().index())) {
      assertThat(times.timeOf(0)).isEqualTo("2026-01-01T00:00:00.000Z");
      assertThat(times.timeOf(4))
          .as("two began in the first chunk")
          .isEqualTo("2026-01-01T00:00:00.000Z");
      assertThat(times.timeOf(9)).isEqualTo("2026-01-01T00:00:01.500Z");
    }
  }

  @Test
  void onlyChunksInWhichALineBeginsAtANewMillisecondAreDated() throws IOException {
    ManualTime time = new ManualTime();
    OutputStore store =
        new OutputStore(new OutputSettings(dir, 1024, 4096, Duration.ofSeconds(5)), time);
    OutputSink sink = store.record("ops", "spinner");
    write(sink, "progress 1%");
    time.advance(Duration.ofMillis(10));
    write(sink, "\rprogress 2%");
    time.advance(Duration.ofMillis(10));
    write(sink, "\n");
    time.advance(Duration.ofMillis(10));
    write(sink, "done\n");
    write(sink, "again\n");
    sink.close();

    Path index = store.find("ops", "spinner").orElseThrow().files().index();
    assertThat(Files.readAllLines(index)).containsExactly("0 1767225600000", "24 1767225600030");
    try (LineTimes times = new LineTimes(index)) {
      assertThat(times.timeOf(24)).isEqualTo("2026-01-01T00:00:00.030Z");
      assertThat(times.timeOf(29))
          .as("again began in the same millisecond as done")
          .isEqualTo("2026-01-01T00:00:00.030Z");
    }
  }

  @Test
  void theIndexStopsGrowingAtThePerExecutionLimit() throws IOException {
    ManualTime time = new ManualTime();
    OutputStore store =
        new OutputStore(new OutputSettings(dir, 40, 4096, Duration.ofSeconds(5)), time);
    OutputSink sink = store.record("ops", "lines");
    for (int line = 0; line < 10; line++) {
      write(sink, "a\n");
      time.advance(Duration.ofMillis(1));
    }
    sink.close();

    StoredOutput output = store.find("ops", "lines").orElseThrow();
    assertThat(content(output)).hasSize(20);
    assertThat(Files.readAllLines(output.files().index()))
        .containsExactly("0 1767225600000", "2 1767225600001", "4 1767225600002");
  }

  @Test
  void aDamagedIndexLineIsSkippedAndALostIndexDatesNothing() throws IOException {
    Path index = dir.resolve("damaged.idx");
    Files.writeString(index, "0 1000\ngarbage\n5 2000\n9 30");

    try (LineTimes times = new LineTimes(index)) {
      assertThat(times.timeOf(0)).isEqualTo("1970-01-01T00:00:01.000Z");
      assertThat(times.timeOf(7)).isEqualTo("1970-01-01T00:00:02.000Z");
      assertThat(times.timeOf(12))
          .as("a line still being written")
          .isEqualTo("1970-01-01T00:00:02.000Z");
    }
    try (LineTimes lost = new LineTimes(dir.resolve("lost.idx"))) {
      assertThat(lost.timeOf(0)).isEqualTo("1970-01-01T00:00:00.000Z");
    }
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
