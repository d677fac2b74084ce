package dev.drover.cli.logs;

import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.cli.CliException;
import dev.drover.cli.DroverCli;
import dev.drover.cli.Session;
import dev.drover.cli.logs.ExecutionOutput.Request;
import dev.drover.cli.support.Objects;
import dev.drover.cli.support.Targets;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "logs",
    description = {
      "Print the whole output of a run's targets (the latest attempt of each), read from the"
          + " agents that ran them or from the pods' logs.",
      "With several targets each line is prefixed with its target. When an agent cannot be"
          + " reached, a notice says so and the last 4 KiB kept in status are shown."
    },
    footer = {
      "",
      "Examples:",
      "  kubectl drover logs nightly-backup-x7k2p",
      "  kubectl drover logs scan-segments --failed",
      "  kubectl drover logs deploy-web --target web-3 -f --timestamps",
      "  kubectl drover logs big-report --tail 50"
    })
public final class LogsCommand implements Callable<Integer> {
  private static final Duration DRAIN_LIMIT = Duration.ofHours(24);

  @ParentCommand DroverCli root;

  @Parameters(paramLabel = "RUN", description = "The TaskRun.")
  String run;

  @Option(
      names = "--target",
      paramLabel = "T",
      description = "Only this target (agent, node or item).")
  String target;

  @Option(names = "--failed", description = "Only targets that failed, timed out or were lost.")
  boolean failed;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing while the commands run; end when they have ended.")
  boolean follow;

  @Option(names = "--timestamps", description = "Begin each line with the time it was written.")
  boolean timestamps;

  @Option(
      names = "--tail",
      paramLabel = "N",
      defaultValue = "-1",
      description = "Only the last N lines of each target (then follow, with -f).")
  int tail;

  @Override
  public Integer call() throws Exception {
    Session session = root.session();
    List<TaskExecution> chosen = chosenTargets(session);
    ExecutionOutput output = new ExecutionOutput(session, root.terminal().err());
    OutputPrinter printer = new OutputPrinter(root.terminal().out(), root.terminal().bytes());
    boolean prefixed = chosen.size() > 1;
    Followers followers =
        new Followers(output, printer, root.terminal().err(), prefixed, timestamps);
    for (TaskExecution execution : chosen) {
      long printed = 0;
      if (tail >= 0 || !follow) {
        var opened = output.open(execution, new Request(0, false, timestamps && tail < 0));
        byte[] whole;
        try (InputStream stream = opened.stream()) {
          whole = stream.readAllBytes();
        }
        byte[] shown = tail >= 0 ? lastLines(whole, tail) : whole;
        if (prefixed) {
          printer.prefixed(Targets.name(execution), new ByteArrayInputStream(shown));
        } else {
          printer.raw(new ByteArrayInputStream(shown));
        }
        if (!opened.whole()) {
          continue; // the tail in status cannot be followed
        }
        printed = whole.length;
      }
      if (follow && !execution.phase().isFinished()) {
        followers.follow(execution, printed);
      }
    }
    followers.awaitAll(DRAIN_LIMIT);
    return 0;
  }

  private List<TaskExecution> chosenTargets(Session session) {
    List<TaskExecution> all = Targets.executions(session.client(), session.namespace(), run);
    if (all.isEmpty()) {
      Objects.get(session, TaskRun.class, run); // says so when the run is not there
      return List.of();
    }
    List<TaskExecution> chosen =
        Targets.latest(all).stream()
            .filter(e -> target == null || target.equals(Targets.name(e)))
            .filter(e -> !failed || e.phase().isFailure())
            .toList();
    if (chosen.isEmpty() && target != null) {
      throw new CliException(
          DroverCli.NOT_FOUND_OR_FORBIDDEN, "run " + run + " has no target named " + target);
    }
    return chosen;
  }

  /** The last {@code n} lines of the text, a final line without a newline counting as one. */
  static byte[] lastLines(byte[] text, int n) {
    if (n == 0) {
      return new byte[0];
    }
    int lastLineEnd =
        text.length > 0 && text[text.length - 1] == '\n' ? text.length - 1 : text.length;
    Deque<Integer> starts = new ArrayDeque<>(List.of(0));
    for (int i = 0; i < lastLineEnd; i++) {
      if (text[i] == '\n') {
        starts.addLast(i + 1);
        if (starts.size() > n) {
          starts.removeFirst();
        }
      }
    }
    return Arrays.copyOfRange(text, starts.peekFirst(), text.length);
  }
}
