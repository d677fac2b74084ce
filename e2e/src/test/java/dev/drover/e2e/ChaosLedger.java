package dev.drover.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The shared file every chaos command appends to: a start line when it begins and an end line when
 * it ends, so that a command killed midway still shows that it ran. Lines are short single {@code
 * >>} appends (O_APPEND), which concurrent writers do not interleave.
 */
final class ChaosLedger {
  private final Path file;

  ChaosLedger(Path file) {
    this.file = file;
  }

  /** One process of one attempt of one unit, as its own lines tell it. */
  record Execution(
      String run,
      String unit,
      int attempt,
      String agent,
      Instant start,
      Optional<Instant> end,
      Optional<Integer> exitCode) {
    UnitKey key() {
      return new UnitKey(run, unit);
    }

    /** Ended with a non-zero exit code: a failure the retry policy answers, not a re-run. */
    boolean failed() {
      return exitCode.filter(code -> code != 0).isPresent();
    }

    boolean succeeded() {
      return exitCode.filter(code -> code == 0).isPresent();
    }

    @Override
    public String toString() {
      return "%s/%s attempt %d on %s %s..%s exit %s"
          .formatted(
              run,
              unit,
              attempt,
              agent,
              start,
              end.map(Instant::toString).orElse("(no end)"),
              exitCode.map(String::valueOf).orElse("-"));
    }
  }

  /** A unit of a run: its agent (Broadcast), its item (Distribute) or "single". */
  record UnitKey(String run, String unit) {
    @Override
    public String toString() {
      return run + "/" + unit;
    }
  }

  /**
   * A shell prologue and epilogue around {@code body} that write this ledger's lines; {@code
   * unitExpression} is the shell word naming the unit.
   */
  String wrap(String unitExpression, String body) {
    String who = "\"$DROVER_RUN\" " + unitExpression + " \"$DROVER_ATTEMPT\" \"$DROVER_AGENT\"";
    return """
    s=`date +%%s%%3N`
    echo "S" %1$s "$s" >> '%2$s'
    %3$s
    rc=$?
    echo "E" %1$s "$s" `date +%%s%%3N` "$rc" >> '%2$s'
    exit $rc
    """
        .formatted(who, file, body);
  }

  /** Every process the ledger tells of, its start and end lines joined. */
  List<Execution> read() throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    Map<String, Execution> byStart = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      String[] f = line.trim().split(" ");
      // A line cut short by a process killed mid-write is incomplete evidence: skip it.
      if (f.length < 6 || (f[0].equals("E") && f.length < 8)) {
        continue;
      }
      String id = String.join(" ", f[1], f[2], f[3], f[4], f[5]);
      boolean endLine = f[0].equals("E");
      Execution known = byStart.get(id);
      byStart.put(
          id,
          new Execution(
              f[1],
              f[2],
              Integer.parseInt(f[3]),
              f[4],
              Instant.ofEpochMilli(Long.parseLong(f[5])),
              endLine
                  ? Optional.of(Instant.ofEpochMilli(Long.parseLong(f[6])))
                  : known == null ? Optional.empty() : known.end(),
              endLine
                  ? Optional.of(Integer.parseInt(f[7]))
                  : known == null ? Optional.empty() : known.exitCode()));
    }
    return List.copyOf(byStart.values());
  }

  static Map<UnitKey, List<Execution>> byUnit(List<Execution> executions) {
    return executions.stream()
        .collect(Collectors.groupingBy(Execution::key, LinkedHashMap::new, Collectors.toList()));
  }
}
