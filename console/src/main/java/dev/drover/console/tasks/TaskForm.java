package dev.drover.console.tasks;

import dev.drover.api.steer.Reruns;
import dev.drover.api.task.Task;
import dev.drover.api.task.TaskParam;
import dev.drover.api.taskrun.TaskRef;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.console.web.HttpError;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run of a Task from the values a person gave its params: blank means "not given", so the Task's
 * default applies; a missing required value or one outside the allowed set is refused here with
 * every problem named, before anything is created.
 */
final class TaskForm {
  private TaskForm() {}

  static TaskRun runOf(Task task, Map<String, String> given) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    List<String> known = new ArrayList<>();
    for (TaskParam param : task.getSpec().paramsOrEmpty()) {
      known.add(param.name());
      String value = given.get(param.name());
      if (value == null || value.isBlank()) {
        if (param.isRequired() && param.defaultValue() == null) {
          problems.add(param.name() + " is required");
        }
        continue;
      }
      if (param.allowed() != null
          && !param.allowed().isEmpty()
          && !param.allowed().contains(value)) {
        problems.add(
            param.name()
                + " must be one of "
                + String.join(", ", param.allowed())
                + ", not \""
                + value
                + "\"");
        continue;
      }
      values.put(param.name(), value);
    }
    for (String name : given.keySet()) {
      if (!known.contains(name)) {
        problems.add(name + " is not a param of task " + task.getMetadata().getName());
      }
    }
    if (!problems.isEmpty()) {
      throw HttpError.badRequest(String.join("; ", problems));
    }
    TaskRun run = new TaskRun();
    run.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(task.getMetadata().getNamespace())
            .withGenerateName(Reruns.generateNamePrefix(task.getMetadata().getName()))
            .build());
    run.setSpec(
        TaskRunSpec.builder()
            .taskRef(new TaskRef(task.getMetadata().getName(), values.isEmpty() ? null : values))
            .build());
    return run;
  }
}
