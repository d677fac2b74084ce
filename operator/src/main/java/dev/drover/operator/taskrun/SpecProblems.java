package dev.drover.operator.taskrun;

import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.Executor;
import dev.drover.api.taskrun.TaskRunSpec;
import java.util.ArrayList;
import java.util.List;

/** What the API schema cannot check about a TaskRun spec; each problem is one readable sentence. */
public final class SpecProblems {
  private SpecProblems() {}

  public static List<String> of(TaskRunSpec spec) {
    List<String> problems = new ArrayList<>();
    if (spec == null) {
      return List.of("spec is required");
    }
    if (spec.selector() == null) {
      problems.add("selector is required (in the run or its Task's template)");
    } else {
      Selectors.problem(spec.selector()).ifPresent(problems::add);
    }
    boolean hasCommand = spec.command() != null && !spec.command().isEmpty();
    boolean hasScript = spec.script() != null && !spec.script().isBlank();
    if (!hasCommand && !hasScript) {
      problems.add("either command or script is required");
    }
    if (hasCommand && hasScript) {
      problems.add("command and script are mutually exclusive");
    }
    boolean hasItems = spec.items() != null && !spec.items().isEmpty();
    if (spec.dispatchOrDefault() == Dispatch.Distribute && !hasItems) {
      problems.add("dispatch Distribute needs a non-empty items list");
    }
    if (spec.dispatchOrDefault() != Dispatch.Distribute && hasItems) {
      problems.add("items are only used with dispatch Distribute");
    }
    if (spec.itemsPerExecution() != null) {
      if (spec.dispatchOrDefault() != Dispatch.Distribute) {
        problems.add("itemsPerExecution is only used with dispatch Distribute");
      }
      if (spec.itemsPerExecution() < 1) {
        problems.add("itemsPerExecution must be at least 1");
      }
      if (spec.executorOrDefault() == Executor.Pod) {
        problems.add("itemsPerExecution is only used with executor Agent");
      }
    }
    if (spec.executorOrDefault() == Executor.Pod
        && (spec.pod() == null || spec.pod().image() == null || spec.pod().image().isBlank())) {
      problems.add("executor Pod needs pod.image");
    }
    if (spec.executorOrDefault() == Executor.Agent && spec.pod() != null) {
      problems.add("pod is only used with executor Pod");
    }
    if (spec.lateJoinSecondsOrDefault() > 0 && spec.dispatchOrDefault() != Dispatch.Broadcast) {
      problems.add("lateJoinSeconds is only used with dispatch Broadcast");
    }
    MaxFailures.problem(spec.maxFailures()).ifPresent(problems::add);
    if (spec.env() != null
        && spec.env().stream().anyMatch(e -> e.name() == null || e.name().isBlank())) {
      problems.add("every env entry needs a name");
    }
    return problems;
  }
}
