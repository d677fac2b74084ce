package dev.drover.cli.get;

import dev.drover.api.flow.TaskFlow;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.cli.DroverCli;
import dev.drover.cli.Session;
import dev.drover.cli.support.Objects;
import dev.drover.cli.support.Ref;
import dev.drover.cli.support.Targets;
import io.fabric8.kubernetes.api.model.Event;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "describe",
    description =
        "Show a run with every target and attempt, or a flow (flow/NAME) as its graph, with"
            + " Events.",
    footer = {
      "",
      "Examples:",
      "  kubectl drover describe scan-segments",
      "  kubectl drover describe flow/release"
    })
public final class DescribeCommand implements Callable<Integer> {
  @ParentCommand DroverCli root;

  @Parameters(paramLabel = "RUN|flow/NAME")
  String target;

  @Override
  public Integer call() {
    Ref ref = Ref.parse(target);
    Session session = root.session();
    var client = session.client();
    var now = root.terminal().clock().instant();
    if (ref.isFlow()) {
      Descriptions.flow(
          root.terminal().out(),
          Objects.get(session, TaskFlow.class, ref.name()),
          events(session, ref.name()),
          now);
    } else {
      Descriptions.run(
          root.terminal().out(),
          Objects.get(session, TaskRun.class, ref.name()),
          Targets.executions(client, session.namespace(), ref.name()),
          events(session, ref.name()),
          now);
    }
    return 0;
  }

  private static List<Event> events(Session session, String name) {
    return session
        .client()
        .v1()
        .events()
        .inNamespace(session.namespace())
        .withField("involvedObject.name", name)
        .list()
        .getItems();
  }
}
