package dev.drover.e2e;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The chaos suite's mixed workload, drawn from the seed: Broadcast, Single and Distribute runs over
 * the agents labelled {@code role=chaos}, most succeeding, some only on a retry, some never; a
 * fifth of them long enough to be running when a fault strikes their agent.
 */
final class ChaosWorkload {
  static final String SELECTOR = "role=chaos";

  /** What a run's command does. */
  enum Outcome {
    SUCCEEDS("true"),
    SUCCEEDS_ON_RETRY("[ \"$DROVER_ATTEMPT\" -ge 2 ]"),
    // A subshell, so that the ledger's end line is still written.
    FAILS("(exit 3)");

    private final String lastStatement;

    Outcome(String lastStatement) {
      this.lastStatement = lastStatement;
    }
  }

  /** A run to create; {@code units} are those known before it starts (a Broadcast's: none). */
  record PlannedRun(String name, Set<String> units, String manifest) {}

  private final Random random;
  private final ChaosLedger ledger;

  ChaosWorkload(Random random, ChaosLedger ledger) {
    this.random = random;
    this.ledger = ledger;
  }

  PlannedRun next(int index) {
    String dispatch = List.of("Broadcast", "Single", "Distribute").get(random.nextInt(3));
    int draw = random.nextInt(100);
    Outcome outcome =
        draw < 70 ? Outcome.SUCCEEDS : draw < 85 ? Outcome.SUCCEEDS_ON_RETRY : Outcome.FAILS;
    int seconds = random.nextInt(5) < 4 ? 1 + random.nextInt(3) : 15 + random.nextInt(16);
    String name = "chaos-%03d-%s".formatted(index, dispatch.toLowerCase());
    String unit =
        switch (dispatch) {
          case "Broadcast" -> "\"$DROVER_AGENT\"";
          case "Distribute" -> "\"$DROVER_ITEM\"";
          default -> "single";
        };
    List<String> items =
        dispatch.equals("Distribute")
            ? IntStream.rangeClosed(1, 5 + random.nextInt(11)).mapToObj(i -> "seg-" + i).toList()
            : List.of();
    String distribution =
        items.isEmpty()
            ? ""
            : "  items: [%s]\n  parallelism: %d\n"
                .formatted(String.join(", ", items), 3 + random.nextInt(6));
    // Failing runs give up after one retry; the others outlast the faults' Lost attempts.
    String retries =
        outcome == Outcome.FAILS
            ? "{limit: 1, backoffSeconds: 1}"
            : "{limit: 6, backoffSeconds: 2, backoffFactor: 2, maxBackoffSeconds: 20}";
    String manifest =
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: %s}
        spec:
          selector: {matchLabels: {role: chaos}}
          dispatch: %s
        %s  retries: %s
          script: |
        %s
        """
            .formatted(
                name,
                dispatch,
                distribution,
                retries,
                indent(ledger.wrap(unit, "sleep " + seconds + "; " + outcome.lastStatement)));
    Set<String> units =
        switch (dispatch) {
          case "Distribute" -> Set.copyOf(items);
          case "Single" -> Set.of("single");
          default -> Set.of();
        };
    return new PlannedRun(name, units, manifest);
  }

  /** A ScheduledTask due every 5 s whose runs are a short Single command. */
  String schedule(String name) {
    return """
    apiVersion: drover.dev/v1alpha1
    kind: ScheduledTask
    metadata: {name: %s}
    spec:
      schedule: "*/5 * * * * *"
      concurrencyPolicy: Allow
      runTemplate:
        spec:
          selector: {matchLabels: {role: chaos}}
          dispatch: Single
          retries: {limit: 6, backoffSeconds: 2, backoffFactor: 2, maxBackoffSeconds: 20}
          script: |
    %s
    """
        .formatted(name, indent(indent(ledger.wrap("single", "true"))));
  }

  /** A Broadcast over every Ready agent that only writes its ledger lines. */
  String probe(String name) {
    return """
    apiVersion: drover.dev/v1alpha1
    kind: TaskRun
    metadata: {name: %s}
    spec:
      selector: {matchLabels: {role: chaos}}
      dispatch: Broadcast
      retries: {limit: 6, backoffSeconds: 2}
      script: |
    %s
    """
        .formatted(name, indent(ledger.wrap("\"$DROVER_AGENT\"", "true")));
  }

  private static String indent(String script) {
    return script.lines().map(line -> "    " + line).reduce((a, b) -> a + "\n" + b).orElse("");
  }
}
