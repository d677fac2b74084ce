package dev.drover.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.ToLongFunction;

/** What the machine and the operator were doing at the start of a phase. */
record PhaseMark(String loadBefore, long[] machineBefore, long cpuMillis, String metrics) {
  static PhaseMark of(OperatorProcess operator) throws IOException, InterruptedException {
    return new PhaseMark(load(), machine(), operator.cpuTime().toMillis(), operator.metrics());
  }

  String describe(OperatorProcess operator, String phase) throws IOException, InterruptedException {
    String after = operator.metrics();
    ToLongFunction<String> reconciles =
        controller -> Math.round(reconciles(after, controller) - reconciles(metrics, controller));
    return String.format(
        Locale.ROOT,
        "| %s | %s → %s | %.0f%% | %.1f s | taskflow %d, taskrun %d |",
        phase,
        loadBefore,
        load(),
        busy(machineBefore, machine()),
        (operator.cpuTime().toMillis() - cpuMillis) / 1000.0,
        reconciles.applyAsLong("taskflow"),
        reconciles.applyAsLong("taskrun"));
  }

  private static double reconciles(String metrics, String controller) {
    return OperatorProcess.value(
        metrics,
        "operator_sdk_controllers_execution_reconcile_seconds_count",
        "controller=\"" + controller + "\"");
  }

  /** Busy and total jiffies of all CPUs so far, from /proc/stat. */
  private static long[] machine() throws IOException {
    String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < fields.length; i++) {
      total += Long.parseLong(fields[i]);
    }
    long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
    return new long[] {total - idle, total};
  }

  /** How busy all CPUs together were between two readings, in percent of one CPU. */
  private static double busy(long[] before, long[] after) {
    double share = (double) (after[0] - before[0]) / (after[1] - before[1]);
    return share * 100 * Runtime.getRuntime().availableProcessors();
  }

  private static String load() throws IOException {
    String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return fields[0] + " " + fields[1] + " " + fields[2];
  }
}
