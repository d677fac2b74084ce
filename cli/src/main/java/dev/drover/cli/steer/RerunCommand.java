package dev.drover.cli.steer;

import dev.drover.api.DroverLabels;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.steer.Reruns;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.cli.DroverCli;
import dev.drover.cli.Session;
import dev.drover.cli.run.RunWatch;
import dev.drover.cli.support.Objects;
import dev.drover.cli.support.Ref;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "rerun",
    description =
        "Start a new run (or flow) from the spec of an earlier one; it is labelled "
            + DroverLabels.RERUN_OF
            + " with the original's name.",
    footer = {
      "",
      "Examples:",
      "  kubectl drover rerun nightly-backup-x7k2p --follow",
      "  kubectl drover rerun flow/release"
    })
public final class RerunCommand implements Callable<Integer> {
  @ParentCommand DroverCli root;

  @Parameters(paramLabel = "RUN|flow/NAME")
  String target;

  @Option(names = "--wait", description = "Wait until the new run finishes (runs only).")
  boolean await;

  @Option(names = "--follow", description = "Print the new run's output as it is produced.")
  boolean follow;

  @Override
  public Integer call() throws InterruptedException {
    Ref ref = Ref.parse(target);
    Session session = root.session();
    String created = ref.isFlow() ? rerunFlow(session, ref.name()) : rerunRun(session, ref.name());
    root.terminal().err().println(created + " created from " + ref);
    root.terminal().err().flush();
    return (await || follow) && !ref.isFlow()
        ? RunWatch.await(
            session, root.terminal(), created.substring("taskrun/".length()), follow, null)
        : 0;
  }

  private static String rerunRun(Session session, String name) {
    TaskRun original = Objects.get(session, TaskRun.class, name);
    return "taskrun/"
        + session.client().resource(Reruns.of(original)).create().getMetadata().getName();
  }

  private static String rerunFlow(Session session, String name) {
    TaskFlow original = Objects.get(session, TaskFlow.class, name);
    return "taskflow/"
        + session.client().resource(Reruns.of(original)).create().getMetadata().getName();
  }
}
