package dev.drover.bench;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Durations in nanoseconds as the benchmarks report them. */
final class Durations {
  private Durations() {}

  static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }

  /** Exact nearest-rank quantiles of durations in nanoseconds. */
  record Stats(List<Long> sorted) {
    static Stats of(List<Long> values) {
      return new Stats(values.stream().sorted().toList());
    }

    long quantile(double q) {
      int rank = (int) Math.ceil(q * sorted.size());
      return sorted.get(Math.max(0, rank - 1));
    }

    long p50() {
      return quantile(0.5);
    }

    String text() {
      return "p50 "
          + ms(quantile(0.5))
          + ", p99 "
          + ms(quantile(0.99))
          + ", max "
          + ms(sorted.get(sorted.size() - 1))
          + " (n="
          + sorted.size()
          + ")";
    }
  }

  static List<Long> between(List<String> runs, Map<String, Long> from, Map<String, Long> to) {
    return runs.stream().map(r -> to.get(r) - from.get(r)).toList();
  }

  static long last(Collection<String> runs, Map<String, Long> times) {
    return runs.stream().mapToLong(times::get).max().orElseThrow();
  }
}
