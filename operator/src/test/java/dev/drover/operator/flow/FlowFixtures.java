package dev.drover.operator.flow;

import dev.drover.api.flow.FlowTask;
import dev.drover.api.flow.TaskFlowSpec;
import dev.drover.api.flow.WhenExpression;
import dev.drover.api.taskrun.TaskRef;
import dev.drover.api.taskrun.TaskRunSpec;
import java.util.List;
import java.util.Map;

/** Builders for flows; a task runs {@code echo} unless it is given a spec or a taskRef. */
final class FlowFixtures {
  static final TaskRunSpec ECHO = script("echo");

  private FlowFixtures() {}

  static TaskRunSpec script(String script) {
    return TaskRunSpec.builder().script(script).build();
  }

  static TaskFlowSpec flow(FlowTask... tasks) {
    return new TaskFlowSpec(null, null, null, null, List.of(tasks), null);
  }

  static TaskFlowSpec flow(List<FlowTask> tasks, List<FlowTask> finallyTasks) {
    return new TaskFlowSpec(null, null, null, null, tasks, finallyTasks);
  }

  static TaskBuilder task(String name) {
    return new TaskBuilder(name);
  }

  static WhenExpression when(String input, WhenExpression.Operator operator, String... values) {
    return new WhenExpression(input, operator, List.of(values));
  }

  static TaskRef taskRef(String name, Map<String, String> params) {
    return new TaskRef(name, params);
  }

  /** Names every field it sets, so no task is built positionally. */
  static final class TaskBuilder {
    private final String name;
    private List<String> dependsOn;
    private String depends;
    private List<WhenExpression> when;
    private TaskRef taskRef;
    private TaskRunSpec spec = ECHO;
    private String itemsFrom;

    private TaskBuilder(String name) {
      this.name = name;
    }

    TaskBuilder dependsOn(String... tasks) {
      dependsOn = List.of(tasks);
      return this;
    }

    TaskBuilder depends(String expression) {
      depends = expression;
      return this;
    }

    TaskBuilder when(WhenExpression... guards) {
      when = List.of(guards);
      return this;
    }

    TaskBuilder taskRef(TaskRef value) {
      taskRef = value;
      return this;
    }

    /** Null leaves the task with no spec of its own. */
    TaskBuilder spec(TaskRunSpec value) {
      spec = value;
      return this;
    }

    TaskBuilder itemsFrom(String value) {
      itemsFrom = value;
      return this;
    }

    FlowTask build() {
      return new FlowTask(name, dependsOn, depends, when, taskRef, spec, itemsFrom, null);
    }
  }
}
