package dev.drover.operator.taskrun;

import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fail-fast bound of a run: a count, or a percentage of its targets (rounded up, at least 1).
 */
final class MaxFailures {
  private static final Pattern FORM = Pattern.compile("^(\\d+)(%?)$");

  private MaxFailures() {}

  /** Describes what is wrong with the value, or empty when it is valid (absent is valid). */
  static Optional<String> problem(IntOrString value) {
    if (value == null) {
      return Optional.empty();
    }
    if (value.getIntVal() != null) {
      return value.getIntVal() >= 1
          ? Optional.empty()
          : Optional.of("maxFailures must be at least 1");
    }
    Matcher m = FORM.matcher(value.getStrVal() == null ? "" : value.getStrVal());
    if (!m.matches()) {
      return Optional.of(
          "maxFailures must be a count such as 3 or a percentage such as 10%, got '"
              + value.getStrVal()
              + "'");
    }
    long number = Long.parseLong(m.group(1));
    if (number < 1 || (!m.group(2).isEmpty() && number > 100)) {
      return Optional.of(
          "maxFailures must be a count of at least 1 or a percentage from 1% to 100%");
    }
    return Optional.empty();
  }

  /** Failures at which the run stops, for a run of {@code total} targets; unbounded when absent. */
  static int threshold(IntOrString value, int total) {
    if (value == null) {
      return Integer.MAX_VALUE;
    }
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    Matcher m = FORM.matcher(value.getStrVal());
    if (!m.matches()) {
      throw new IllegalArgumentException(problem(value).orElse("invalid maxFailures"));
    }
    int number = Integer.parseInt(m.group(1));
    if (m.group(2).isEmpty()) {
      return number;
    }
    return Math.max(1, (int) Math.ceil(total * number / 100.0));
  }
}
