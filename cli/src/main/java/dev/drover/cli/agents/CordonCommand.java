package dev.drover.cli.agents;

import dev.drover.cli.DroverCli;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "cordon",
    description = "Dispatch nothing new to an agent; what runs there finishes.",
    footer = {"", "Examples:", "  kubectl drover cordon web-3"})
public final class CordonCommand implements Callable<Integer> {
  @ParentCommand DroverCli root;

  @Parameters(paramLabel = "AGENT")
  String agent;

  @Override
  public Integer call() {
    Cordons.set(root, agent, true);
    return 0;
  }
}
