package dev.drover.cli.support;

import dev.drover.api.flow.TaskFlow;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.cli.CliException;
import dev.drover.cli.DroverCli;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * What a command acts on: a TaskRun by plain name (or {@code run/NAME}), a TaskFlow as {@code
 * flow/NAME}.
 */
public record Ref(Class<? extends HasMetadata> type, String kind, String name) {
  public static Ref parse(String text) {
    int slash = text.indexOf('/');
    String prefix = slash < 0 ? "" : text.substring(0, slash).toLowerCase();
    String name = text.substring(slash + 1);
    return switch (prefix) {
      case "", "run", "taskrun", "taskruns" -> new Ref(TaskRun.class, "taskrun", name);
      case "flow", "taskflow", "taskflows" -> new Ref(TaskFlow.class, "taskflow", name);
      default ->
          throw new CliException(
              DroverCli.USAGE,
              "\"" + text + "\" names neither a run (NAME) nor a flow (flow/NAME)");
    };
  }

  public boolean isFlow() {
    return type == TaskFlow.class;
  }

  @Override
  public String toString() {
    return kind + "/" + name;
  }
}
