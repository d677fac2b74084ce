package dev.drover.e2e;

import dev.drover.e2e.ChaosFaults.Kind;
import dev.drover.e2e.ChaosFaults.Stop;
import dev.drover.e2e.ChaosLedger.Execution;
import dev.drover.e2e.ChaosLedger.UnitKey;
import dev.drover.e2e.ChaosObserver.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The chaos suite's invariants over what the ledger, the API server and the fault timeline
 * recorded. Each check lists its violations (empty: green) so that all are printed before any fails
 * the test.
 */
final class ChaosInvariants {
  /** How long after SIGCONT a fenced agent may take to have stopped its stale processes. */
  static final Duration FENCE_SLACK = Duration.ofSeconds(5);

  record Check(String name, List<String> violations) {
    boolean green() {
      return violations.isEmpty();
    }
  }

  private final ChaosObserver observer;
  private final Map<String, RunRecord> runs;
  private final Map<String, Set<String>> expectedUnits;
  private final Map<UnitKey, List<Execution>> ledger;
  private final Set<UnitKey> lost;
  private final Set<UnitKey> deleted;
  private final ChaosFaults faults;

  /**
   * @param expectedUnits the units each run should have: its items or single, as planned, and the
   *     units of every execution the API server showed
   */
  ChaosInvariants(
      ChaosObserver observer,
      Map<String, Set<String>> expectedUnits,
      List<Execution> ledger,
      ChaosFaults faults) {
    this.observer = observer;
    this.runs = observer.runs;
    this.expectedUnits = expectedUnits;
    this.ledger = ChaosLedger.byUnit(ledger);
    this.lost = Set.copyOf(observer.lostUnits);
    this.deleted = new HashSet<>(faults.deletedUnits);
    this.faults = faults;
  }

  /** Every run reached Succeeded, Failed or Cancelled (those pruned, before they were deleted). */
  Check everyRunTerminal(Duration bound, Duration took) {
    List<String> violations = new ArrayList<>();
    runs.forEach(
        (name, run) -> {
          if (!ChaosObserver.TERMINAL.contains(run.phase)) {
            violations.add(
                name
                    + " is "
                    + run.phase
                    + (run.deleted ? " (deleted)" : "")
                    + "; unfinished executions: "
                    + observer.unfinishedExecutions(name));
          }
        });
    if (took.compareTo(bound) > 0) {
      violations.add("runs took " + took + " to settle, more than " + bound);
    }
    return new Check("every run terminal within " + bound.toMinutes() + " min", violations);
  }

  /**
   * Every unit of every run that did not fail started at least once, and every unit of a Succeeded
   * run has a process that exited 0. (A failed run stops starting units by design.)
   */
  Check everyUnitRan() {
    List<String> violations = new ArrayList<>();
    expectedUnits.forEach(
        (run, units) -> {
          if ("Failed".equals(phase(run))) {
            return;
          }
          for (String unit : units) {
            List<Execution> ran = ledger.getOrDefault(new UnitKey(run, unit), List.of());
            if (ran.isEmpty()) {
              violations.add(run + "/" + unit + " never started");
            } else if ("Succeeded".equals(phase(run))
                && ran.stream().noneMatch(Execution::succeeded)) {
              violations.add(run + "/" + unit + " of a Succeeded run never exited 0: " + ran);
            }
          }
        });
    return new Check("every unit ran at least once", violations);
  }

  /**
   * A unit ran twice when more than one of its processes did not fail (exited 0, or was stopped
   * with no end line): a retry after a failure is the policy, not a repeat. That is allowed only
   * for units with a Lost execution, or whose execution the timeline deleted.
   */
  Check noUnexplainedRepeat() {
    List<String> violations = new ArrayList<>();
    repeatedUnits().stream()
        .filter(unit -> !lost.contains(unit) && !deleted.contains(unit))
        .forEach(unit -> violations.add(unit + " ran twice: " + ledger.get(unit)));
    return new Check("no unit ran twice without a Lost", violations);
  }

  List<UnitKey> repeatedUnits() {
    return ledger.entrySet().stream()
        .filter(e -> e.getValue().stream().filter(x -> !x.failed()).count() > 1)
        .map(Map.Entry::getKey)
        .toList();
  }

  /**
   * No due time of a ScheduledTask fired twice: a run name (which encodes the due time) created
   * more than once, or two runs carrying the same due time.
   */
  Check noDueTimeFiredTwice() {
    List<String> violations = new ArrayList<>();
    Map<String, List<String>> byDueTime = new LinkedHashMap<>();
    runs.forEach(
        (name, run) -> {
          if (run.scheduledTask == null) {
            return;
          }
          if (run.uids.size() > 1) {
            violations.add(name + " was created " + run.uids.size() + " times");
          }
          byDueTime
              .computeIfAbsent(run.scheduledTask + "@" + run.scheduledTime, k -> new ArrayList<>())
              .add(name);
        });
    byDueTime.forEach(
        (due, names) -> {
          if (names.size() > 1) {
            violations.add(due + " fired as " + names);
          }
        });
    return new Check("no due time fired twice", violations);
  }

  /**
   * After an agent was frozen past its Lease, no process it was running when it froze, whose unit
   * the operator retried, ended later than SIGCONT plus {@link #FENCE_SLACK}: a fenced agent stops
   * them as soon as it runs again.
   */
  Check noStaleProcessOutlivedItsFence() {
    List<String> violations = new ArrayList<>();
    for (Stop stop : faults.stops) {
      ledger.forEach(
          (unit, executions) -> {
            for (Execution execution : executions) {
              boolean runningAtStop =
                  execution.agent().equals(stop.agent())
                      && execution.start().isBefore(stop.stopped())
                      && execution.end().map(e -> e.isAfter(stop.stopped())).orElse(true);
              boolean retried =
                  executions.stream().anyMatch(other -> other.attempt() > execution.attempt());
              Instant fence = stop.continued().plus(FENCE_SLACK);
              if (runningAtStop
                  && retried
                  && execution.end().map(e -> e.isAfter(fence)).orElse(false)) {
                violations.add(
                    execution
                        + " outlived its agent's SIGCONT at "
                        + stop.continued()
                        + " by "
                        + Duration.between(stop.continued(), execution.end().get()).toSeconds()
                        + " s");
              }
            }
          });
    }
    return new Check("no stale process outlived its fence", violations);
  }

  /** Operators and agents recovered from every API server restart without being restarted. */
  Check recoveredFromEveryFault() {
    return new Check(
        "recovered from every fault, API server restarts without restarts", faults.problems);
  }

  int units() {
    return expectedUnits.values().stream().mapToInt(Collection::size).sum();
  }

  int lostUnits() {
    return lost.size();
  }

  /** Counts of runs by phase, e.g. {@code Succeeded=180, Failed=40}. */
  String phases() {
    return runs.values().stream()
        .collect(Collectors.groupingBy(r -> String.valueOf(r.phase), Collectors.counting()))
        .toString();
  }

  private String phase(String run) {
    RunRecord record = runs.get(run);
    return record == null ? null : record.phase;
  }

  static String faultCounts(Map<Kind, Integer> counts) {
    List<String> parts = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      parts.add(kind.name().toLowerCase().replace('_', ' ') + " " + counts.getOrDefault(kind, 0));
    }
    return String.join(", ", parts);
  }
}
