package dev.drover.cli.get;

import dev.drover.api.agent.Agent;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.schedule.ScheduledTask;
import dev.drover.api.task.Task;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.cli.support.Ages;
import dev.drover.cli.support.Table;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The tables of {@code get} and {@code top}: what a person scans first, in a few columns. */
public final class Tables {
  private static final int MESSAGE_WIDTH = 60;

  private Tables() {}

  public static Table runs(List<TaskRun> runs, Instant now, boolean namespaces, boolean wide) {
    List<String> headers = new ArrayList<>(List.of("NAME", "PHASE", "DONE", "FAILED", "AGE"));
    if (wide) {
      headers.addAll(List.of("DISPATCH", "RETRIES", "MESSAGE"));
    }
    Table table = new Table(withNamespace(namespaces, headers));
    for (TaskRun run : runs) {
      var status = run.getStatus();
      List<Object> row = new ArrayList<>();
      row.add(run.getMetadata().getName());
      row.add(status == null ? "Pending" : status.phase());
      row.add(status == null ? null : status.progress());
      row.add(status == null || status.targets() == null ? null : status.targets().failed());
      row.add(Ages.since(run.getMetadata().getCreationTimestamp(), now));
      if (wide) {
        row.add(
            run.getSpec().taskRef() != null && run.getSpec().dispatch() == null
                ? "from " + run.getSpec().taskRef().name()
                : run.getSpec().dispatchOrDefault());
        row.add(status == null ? 0 : status.retriesOrZero());
        row.add(status == null ? null : shorten(status.message()));
      }
      table.row(withNamespace(namespaces, run.getMetadata().getNamespace(), row));
    }
    return table;
  }

  public static Table agents(List<Agent> agents, Instant now, boolean wide) {
    List<String> headers =
        new ArrayList<>(
            List.of("NAME", "READY", "RUNNING", "CAPACITY", "CORDONED", "HEARTBEAT", "VERSION"));
    if (wide) {
      headers.addAll(List.of("ADDRESS", "LABELS"));
    }
    Table table = new Table(headers.toArray(String[]::new));
    for (Agent agent : agents) {
      var status = agent.getStatus();
      List<Object> row = new ArrayList<>();
      row.add(agent.getMetadata().getName());
      row.add(ready(status == null ? null : status.getConditions()));
      row.add(status == null || status.getRunning() == null ? 0 : status.getRunning());
      row.add(agent.getSpec().capacity());
      row.add(agent.getSpec().cordoned() ? "yes" : "no");
      row.add(status == null ? null : Ages.since(status.getLastHeartbeatTime(), now));
      row.add(agent.getSpec().version());
      if (wide) {
        row.add(status == null ? null : status.getAddress());
        row.add(labels(agent.getMetadata().getLabels()));
      }
      table.row(row.toArray());
    }
    return table;
  }

  public static Table schedules(List<ScheduledTask> schedules, Instant now, boolean namespaces) {
    Table table =
        new Table(
            withNamespace(
                namespaces,
                List.of(
                    "NAME",
                    "SCHEDULE",
                    "TIMEZONE",
                    "SUSPENDED",
                    "NEXT",
                    "LAST RUN",
                    "ACTIVE",
                    "MISSED")));
    for (ScheduledTask schedule : schedules) {
      var status = schedule.getStatus();
      List<Object> row = new ArrayList<>();
      row.add(schedule.getMetadata().getName());
      row.add(
          status != null && status.trigger() != null
              ? status.trigger()
              : schedule.getSpec().schedule());
      row.add(schedule.getSpec().timeZone() == null ? "UTC" : schedule.getSpec().timeZone());
      row.add(schedule.getSpec().suspended() ? "yes" : "no");
      row.add(status == null ? null : Ages.until(status.nextScheduleTime(), now));
      row.add(status == null ? null : Ages.until(status.lastScheduleTime(), now));
      row.add(status == null || status.activeCount() == null ? 0 : status.activeCount());
      row.add(status == null || status.missed() == null ? 0 : status.missed());
      table.row(withNamespace(namespaces, schedule.getMetadata().getNamespace(), row));
    }
    return table;
  }

  public static Table flows(List<TaskFlow> flows, Instant now, boolean namespaces) {
    Table table =
        new Table(withNamespace(namespaces, List.of("NAME", "PHASE", "TASKS", "AGE", "MESSAGE")));
    for (TaskFlow flow : flows) {
      var status = flow.getStatus();
      List<Object> row = new ArrayList<>();
      row.add(flow.getMetadata().getName());
      row.add(status == null ? "Pending" : status.phase());
      row.add(flow.getSpec().tasksOrEmpty().size() + flow.getSpec().finallyOrEmpty().size());
      row.add(Ages.since(flow.getMetadata().getCreationTimestamp(), now));
      row.add(status == null ? null : shorten(status.message()));
      table.row(withNamespace(namespaces, flow.getMetadata().getNamespace(), row));
    }
    return table;
  }

  public static Table tasks(List<Task> tasks, Instant now, boolean namespaces) {
    Table table =
        new Table(withNamespace(namespaces, List.of("NAME", "PARAMS", "AGE", "DESCRIPTION")));
    for (Task task : tasks) {
      List<Object> row = new ArrayList<>();
      row.add(task.getMetadata().getName());
      row.add(
          task.getSpec().params() == null
              ? null
              : task.getSpec().params().stream()
                  .map(p -> p.name())
                  .collect(Collectors.joining(",")));
      row.add(Ages.since(task.getMetadata().getCreationTimestamp(), now));
      row.add(shorten(task.getSpec().description()));
      table.row(withNamespace(namespaces, task.getMetadata().getNamespace(), row));
    }
    return table;
  }

  static String ready(List<Condition> conditions) {
    if (conditions == null) {
      return "Unknown";
    }
    return conditions.stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(Condition::getStatus)
        .findFirst()
        .orElse("Unknown");
  }

  private static String labels(Map<String, String> labels) {
    return labels == null
        ? null
        : labels.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));
  }

  static String shorten(String message) {
    if (message == null) {
      return null;
    }
    String line = message.strip().replace('\n', ' ');
    return line.length() <= MESSAGE_WIDTH ? line : line.substring(0, MESSAGE_WIDTH - 3) + "...";
  }

  private static String[] withNamespace(boolean namespaces, List<String> headers) {
    List<String> all = new ArrayList<>();
    if (namespaces) {
      all.add("NAMESPACE");
    }
    all.addAll(headers);
    return all.toArray(String[]::new);
  }

  private static Object[] withNamespace(boolean namespaces, String namespace, List<Object> row) {
    List<Object> all = new ArrayList<>();
    if (namespaces) {
      all.add(namespace);
    }
    all.addAll(row);
    return all.toArray();
  }
}
