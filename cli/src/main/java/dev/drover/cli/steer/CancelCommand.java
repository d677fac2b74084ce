package dev.drover.cli.steer;

import dev.drover.api.steer.SteeringPatches;
import dev.drover.cli.DroverCli;
import dev.drover.cli.support.Patches;
import dev.drover.cli.support.Ref;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "cancel",
    description = "Cancel a run (its running targets are stopped) or a flow (flow/NAME).",
    footer = {
      "",
      "Examples:",
      "  kubectl drover cancel scan-segments",
      "  kubectl drover cancel flow/release"
    })
public final class CancelCommand implements Callable<Integer> {
  @ParentCommand DroverCli root;

  @Parameters(paramLabel = "RUN|flow/NAME")
  String target;

  @Override
  public Integer call() {
    Ref ref = Ref.parse(target);
    Patches.mergeNamespaced(root.session(), ref.type(), ref.name(), SteeringPatches.CANCEL);
    root.terminal().out().println(ref + " cancel requested");
    return 0;
  }
}
