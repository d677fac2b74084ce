package dev.drover.operator.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.api.task.Task;
import dev.drover.api.task.TaskParam;
import dev.drover.api.taskrun.TaskRef;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.operator.task.Substitution.Binding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns a run spec that names a Task into the spec it runs: the template, overridden field by field
 * by what the run sets itself, with the params' values put in as data.
 */
public final class TaskResolver {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The spec to run, or why there is none. */
  public record Resolution(TaskRunSpec spec, List<String> problems) {
    static Resolution invalid(List<String> problems) {
      return new Resolution(null, List.copyOf(problems));
    }
  }

  private TaskResolver() {}

  /**
   * @param task the Task {@code spec.taskRef} names, or null when there is none by that name
   */
  public static Resolution resolve(TaskRunSpec spec, Task task) {
    TaskRef ref = spec.taskRef();
    String quoted = "Task \"" + ref.name() + "\"";
    if (task == null) {
      return Resolution.invalid(List.of(quoted + " not found"));
    }
    List<String> taskProblems = TaskProblems.of(task.getSpec());
    if (!taskProblems.isEmpty()) {
      return Resolution.invalid(
          List.of(quoted + " is invalid: " + String.join("; ", taskProblems)));
    }
    List<TaskParam> params = task.getSpec().paramsOrEmpty();
    List<String> problems = new ArrayList<>(paramProblems(quoted, params, ref.paramsOrEmpty()));
    if (!problems.isEmpty()) {
      return Resolution.invalid(problems);
    }
    List<Binding> bindings = new ArrayList<>();
    for (TaskParam param : params) {
      String value = ref.paramsOrEmpty().getOrDefault(param.name(), param.defaultValue());
      bindings.add(Binding.param(param.name(), value == null ? "" : value));
    }
    return new Resolution(
        Substitution.apply(overlay(task.getSpec().template(), spec), bindings), List.of());
  }

  private static List<String> paramProblems(
      String task, List<TaskParam> params, Map<String, String> given) {
    List<String> problems = new ArrayList<>();
    Set<String> declared =
        params.stream().map(TaskParam::name).collect(Collectors.toCollection(TreeSet::new));
    for (String name : new TreeSet<>(given.keySet())) {
      if (!declared.contains(name)) {
        problems.add(
            "unknown param \""
                + name
                + "\" for "
                + task
                + (declared.isEmpty()
                    ? ", which takes none"
                    : "; it takes " + String.join(", ", declared)));
      }
    }
    for (TaskParam param : params) {
      String value = given.get(param.name());
      if (value == null && param.isRequired() && param.defaultValue() == null) {
        problems.add("param \"" + param.name() + "\" of " + task + " is required");
      }
      // A value holding the unit's item differs per unit; only a fixed value can be checked here.
      if (value != null
          && param.allowed() != null
          && !value.contains("$(" + References.ITEM + ")")
          && !param.allowed().contains(value)) {
        problems.add(
            "param \""
                + param.name()
                + "\" is \""
                + value
                + "\"; "
                + task
                + " allows "
                + String.join(", ", param.allowed()));
      }
    }
    return problems;
  }

  /**
   * The template with each top-level field the run sets replaced by the run's. The schema gives
   * dispatch and executor no default, so a run that leaves them out keeps the template's.
   */
  static TaskRunSpec overlay(TaskRunSpec template, TaskRunSpec run) {
    TaskRunSpec.Builder own = run.toBuilder().taskRef(null);
    ObjectNode merged = JSON.valueToTree(template);
    merged.setAll((ObjectNode) JSON.valueToTree(own.build()));
    return JSON.convertValue(merged, TaskRunSpec.class);
  }
}
