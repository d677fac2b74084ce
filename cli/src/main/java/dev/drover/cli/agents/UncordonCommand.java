package dev.drover.cli.agents;

import dev.drover.cli.DroverCli;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "uncordon",
    description = "Let an agent take new work again.",
    footer = {"", "Examples:", "  kubectl drover uncordon web-3"})
public final class UncordonCommand implements Callable<Integer> {
  @ParentCommand DroverCli root;

  @Parameters(paramLabel = "AGENT")
  String agent;

  @Override
  public Integer call() {
    Cordons.set(root, agent, false);
    return 0;
  }
}
