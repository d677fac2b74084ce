package dev.drover.cli.agents;

import dev.drover.api.agent.Agent;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.cli.DroverCli;
import dev.drover.cli.Session;
import dev.drover.cli.support.Table;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "top",
    description = "Agents by how full they are, then the runs with the most targets running.",
    footer = {"", "Examples:", "  kubectl drover top", "  kubectl drover top -A --runs 20"})
public final class TopCommand implements Callable<Integer> {
  @ParentCommand DroverCli root;

  @Option(
      names = "--runs",
      defaultValue = "10",
      description = "How many runs to list (default ${DEFAULT-VALUE}).")
  int runs;

  @Override
  public Integer call() {
    Session session = root.session();
    var client = session.client();
    List<Agent> agents = client.resources(Agent.class).list().getItems();
    var taskRuns =
        session.allNamespaces()
            ? client.resources(TaskRun.class).inAnyNamespace().list().getItems()
            : client.resources(TaskRun.class).inNamespace(session.namespace()).list().getItems();
    print(root.terminal().out(), agents, taskRuns, runs);
    return 0;
  }

  public static void print(
      PrintWriter out, List<Agent> agents, List<TaskRun> taskRuns, int runLimit) {
    Table load = new Table("AGENT", "RUNNING", "CAPACITY", "LOAD", "CORDONED");
    agents.stream()
        .sorted(
            Comparator.comparingDouble(TopCommand::load)
                .reversed()
                .thenComparing(a -> a.getMetadata().getName()))
        .forEach(
            a ->
                load.row(
                    a.getMetadata().getName(),
                    running(a),
                    a.getSpec().capacity(),
                    Math.round(load(a) * 100) + "%",
                    a.getSpec().cordoned() ? "yes" : "no"));
    load.print(out);
    out.println();
    Table busiest = new Table("NAMESPACE", "RUN", "RUNNING", "QUEUED", "DONE", "PHASE");
    taskRuns.stream()
        .filter(r -> r.getStatus() != null && r.getStatus().targets() != null)
        .filter(r -> r.getStatus().phase() != null && !r.getStatus().phase().isFinished())
        .sorted(
            Comparator.comparingInt((TaskRun r) -> r.getStatus().targets().running())
                .reversed()
                .thenComparing(r -> r.getMetadata().getName()))
        .limit(runLimit)
        .forEach(
            r ->
                busiest.row(
                    r.getMetadata().getNamespace(),
                    r.getMetadata().getName(),
                    r.getStatus().targets().running(),
                    r.getStatus().targets().queued(),
                    r.getStatus().progress(),
                    r.getStatus().phase()));
    if (busiest.isEmpty()) {
      out.println("No run is running.");
    } else {
      busiest.print(out);
    }
    out.flush();
  }

  private static int running(Agent agent) {
    return agent.getStatus() == null || agent.getStatus().getRunning() == null
        ? 0
        : agent.getStatus().getRunning();
  }

  private static double load(Agent agent) {
    return (double) running(agent) / Math.max(1, agent.getSpec().capacity());
  }
}
