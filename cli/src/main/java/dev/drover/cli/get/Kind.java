package dev.drover.cli.get;

import dev.drover.api.agent.Agent;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.schedule.ScheduledTask;
import dev.drover.api.task.Task;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.cli.CliException;
import dev.drover.cli.DroverCli;
import dev.drover.cli.support.Table;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** The kinds {@code get} lists, by the names people type for them. */
enum Kind {
  RUNS(TaskRun.class, true, "runs", "run", "taskruns", "taskrun", "tr"),
  AGENTS(Agent.class, false, "agents", "agent"),
  SCHEDULES(ScheduledTask.class, true, "schedules", "schedule", "scheduledtasks", "scheduledtask"),
  FLOWS(TaskFlow.class, true, "flows", "flow", "taskflows", "taskflow"),
  TASKS(Task.class, true, "tasks", "task");

  final Class<? extends HasMetadata> type;
  final boolean namespaced;
  private final List<String> names;

  Kind(Class<? extends HasMetadata> type, boolean namespaced, String... names) {
    this.type = type;
    this.namespaced = namespaced;
    this.names = List.of(names);
  }

  static Kind of(String typed) {
    return Arrays.stream(values())
        .filter(kind -> kind.names.contains(typed.toLowerCase()))
        .findFirst()
        .orElseThrow(
            () ->
                new CliException(
                    DroverCli.USAGE,
                    "unknown kind \"" + typed + "\"; use runs, agents, schedules, flows or tasks"));
  }

  @SuppressWarnings("unchecked")
  Table table(
      List<? extends HasMetadata> objects, Instant now, boolean allNamespaces, boolean wide) {
    return switch (this) {
      case RUNS -> Tables.runs((List<TaskRun>) objects, now, allNamespaces, wide);
      case AGENTS -> Tables.agents((List<Agent>) objects, now, wide);
      case SCHEDULES -> Tables.schedules((List<ScheduledTask>) objects, now, allNamespaces);
      case FLOWS -> Tables.flows((List<TaskFlow>) objects, now, allNamespaces);
      case TASKS -> Tables.tasks((List<Task>) objects, now, allNamespaces);
    };
  }
}
