package dev.drover.cli.agents;

import dev.drover.api.DroverLabels;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.steer.SteeringPatches;
import dev.drover.cli.CliException;
import dev.drover.cli.DroverCli;
import dev.drover.cli.Session;
import dev.drover.cli.support.Ages;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "drain",
    description = {
      "Cordon an agent, then wait until the work dispatched to it has finished (or, with"
          + " --cancel, cancel that work), as before maintenance of its host."
    },
    footer = {
      "",
      "Examples:",
      "  kubectl drover drain web-3",
      "  kubectl drover drain web-3 --cancel --timeout 2m"
    })
public final class DrainCommand implements Callable<Integer> {
  private static final String CANCEL = SteeringPatches.CANCEL;

  @ParentCommand DroverCli root;

  @Parameters(paramLabel = "AGENT")
  String agent;

  @Option(
      names = "--cancel",
      description = "Cancel the agent's unfinished work instead of waiting for it.")
  boolean cancel;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "0",
      description = "Give up after this long (e.g. 90s, 5m); 0 waits for ever.")
  String timeout;

  @Override
  public Integer call() throws InterruptedException {
    Duration limit = parse(timeout);
    Session session = root.session();
    Cordons.set(root, agent, true);
    Instant giveUpAt = limit.isZero() ? null : root.terminal().clock().instant().plus(limit);
    while (true) {
      List<TaskExecution> unfinished = unfinished(session);
      if (unfinished.isEmpty()) {
        root.terminal().out().println("agent/" + agent + " drained");
        return 0;
      }
      if (cancel) {
        unfinished.stream()
            .filter(e -> !e.getSpec().cancelRequested())
            .forEach(
                e ->
                    session
                        .client()
                        .resources(TaskExecution.class)
                        .inNamespace(e.getMetadata().getNamespace())
                        .withName(e.getMetadata().getName())
                        .patch(PatchContext.of(PatchType.JSON_MERGE), CANCEL));
      }
      if (giveUpAt != null && root.terminal().clock().instant().isAfter(giveUpAt)) {
        throw new CliException(
            DroverCli.RUN_FAILED,
            "agent/"
                + agent
                + " still has "
                + unfinished.size()
                + " unfinished execution(s) after "
                + Ages.of(limit)
                + "; it stays cordoned");
      }
      Thread.sleep(root.terminal().poll().toMillis());
    }
  }

  private List<TaskExecution> unfinished(Session session) {
    return session
        .client()
        .resources(TaskExecution.class)
        .inAnyNamespace()
        .withLabel(DroverLabels.AGENT, agent)
        .list()
        .getItems()
        .stream()
        .filter(e -> e.phase() == null || !e.phase().isFinished())
        .toList();
  }

  /** "90s", "5m", "1h", or plain seconds. */
  static Duration parse(String text) {
    try {
      char unit = text.charAt(text.length() - 1);
      if (Character.isDigit(unit)) {
        return Duration.ofSeconds(Long.parseLong(text));
      }
      long amount = Long.parseLong(text.substring(0, text.length() - 1));
      return switch (unit) {
        case 's' -> Duration.ofSeconds(amount);
        case 'm' -> Duration.ofMinutes(amount);
        case 'h' -> Duration.ofHours(amount);
        default -> throw new NumberFormatException();
      };
    } catch (RuntimeException e) {
      throw new CliException(
          DroverCli.USAGE,
          "--timeout takes a duration such as 90s, 5m or 1h, got \"" + text + "\"");
    }
  }
}
