package dev.drover.cli.steer;

import dev.drover.api.DroverLabels;
import dev.drover.api.steer.SteeringPatches;
import dev.drover.cli.DroverCli;
import dev.drover.cli.run.RunWatch;
import dev.drover.cli.support.Patches;
import dev.drover.cli.support.Ref;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "retry",
    description = {
      "Retry what failed in a finished run: only its targets that failed, timed out or were"
          + " lost run again, and the run goes back to Running. For a flow (flow/NAME): its"
          + " failed tasks and those skipped for them.",
    },
    footer = {
      "",
      "Examples:",
      "  kubectl drover retry scan-segments --wait",
      "  kubectl drover retry flow/release"
    })
public final class RetryCommand implements Callable<Integer> {
  @ParentCommand DroverCli root;

  @Parameters(paramLabel = "RUN|flow/NAME")
  String target;

  @Option(names = "--wait", description = "Wait until the run finishes again (runs only).")
  boolean await;

  @Override
  public Integer call() throws InterruptedException {
    Ref ref = Ref.parse(target);
    String token = SteeringPatches.freshToken();
    Patches.mergeNamespaced(
        root.session(),
        ref.type(),
        ref.name(),
        SteeringPatches.annotation(DroverLabels.RETRY, token));
    root.terminal().out().println(ref + " retry requested");
    root.terminal().out().flush();
    return await && !ref.isFlow()
        ? RunWatch.await(root.session(), root.terminal(), ref.name(), false, token)
        : 0;
  }
}
