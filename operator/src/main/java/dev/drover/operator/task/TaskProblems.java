package dev.drover.operator.task;

import dev.drover.api.task.TaskParam;
import dev.drover.api.task.TaskSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What is wrong with a Task template; each problem is one sentence. */
public final class TaskProblems {
  private TaskProblems() {}

  public static List<String> of(TaskSpec spec) {
    if (spec == null || spec.template() == null) {
      return List.of("spec.template is required");
    }
    List<String> problems = new ArrayList<>();
    Set<String> declared = new HashSet<>();
    Map<String, String> byVariable = new HashMap<>();
    for (TaskParam param : spec.paramsOrEmpty()) {
      if (!declared.add(param.name())) {
        problems.add("param \"" + param.name() + "\" is declared twice");
        continue;
      }
      String variable = Substitution.variableFor("PARAM", param.name());
      String clash = byVariable.putIfAbsent(variable, param.name());
      if (clash != null) {
        problems.add(
            "params \""
                + clash
                + "\" and \""
                + param.name()
                + "\" would both be passed as "
                + variable
                + "; rename one");
      }
      if (param.defaultValue() != null
          && param.allowed() != null
          && !param.allowed().contains(param.defaultValue())) {
        problems.add(
            "param \""
                + param.name()
                + "\" has default \""
                + param.defaultValue()
                + "\", which its enum does not allow");
      }
    }
    for (String key : References.in(spec.template())) {
      String param = References.paramOf(key);
      if (param != null && !declared.contains(param)) {
        problems.add("template refers to $(" + key + "), which no param declares");
      } else if (param == null && !References.ITEM.equals(key)) {
        problems.add(
            "template refers to $("
                + key
                + "), which only a flow task can use; pass it to the Task as a param");
      }
    }
    problems.addAll(Substitution.scriptProblems(spec.template().script()));
    if (spec.template().taskRef() != null) {
      problems.add("a Task template cannot itself use a taskRef");
    }
    return problems;
  }
}
