package dev.drover.operator.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.task.Task;
import dev.drover.api.task.TaskParam;
import dev.drover.api.task.TaskSpec;
import dev.drover.api.task.TaskStatus;
import dev.drover.api.taskrun.TaskRunSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status a Task is given: Valid or not, and why not. */
class TaskReconcilerTest {
  private static final String T1 = "2026-11-28T10:00:00Z";
  private static final String T2 = "2026-11-28T11:00:00Z";

  private static Task task(String script, long generation) {
    Task task = new Task();
    task.setMetadata(
        new ObjectMetaBuilder()
            .withName("greet")
            .withNamespace("ops")
            .withGeneration(generation)
            .build());
    task.setSpec(
        new TaskSpec(
            null,
            List.of(new TaskParam("who", null, null, null, null)),
            TaskRunSpec.builder().script(script).build()));
    return task;
  }

  @Test
  void aUsableTemplateIsValidWithNoProblems() {
    TaskStatus status = TaskReconciler.status(task("echo $(params.who)", 3), T1);

    assertThat(status.problems()).isNull();
    assertThat(status.observedGeneration()).isEqualTo(3L);
    assertThat(status.conditions())
        .singleElement()
        .extracting(
            Condition::getType,
            Condition::getStatus,
            Condition::getReason,
            Condition::getMessage,
            Condition::getObservedGeneration)
        .containsExactly("Valid", "True", "Valid", "the template can be used", 3L);
  }

  @Test
  void anUnusableTemplateIsNotValidAndSaysWhy() {
    TaskStatus status = TaskReconciler.status(task("echo $(params.nope) $(params.who)", 1), T1);

    assertThat(status.problems())
        .containsExactly("template refers to $(params.nope), which no param declares");
    assertThat(status.conditions())
        .singleElement()
        .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly(
            "False",
            "InvalidTemplate",
            "template refers to $(params.nope), which no param declares");
  }

  @Test
  void theConditionKeepsItsTransitionTimeWhileItHolds() {
    Task task = task("echo $(params.who)", 1);
    task.setStatus(TaskReconciler.status(task, T1));

    assertThat(TaskReconciler.status(task, T2)).isEqualTo(task.getStatus());

    Task broken = task("echo $(params.nope)", 2);
    broken.setStatus(task.getStatus());
    assertThat(TaskReconciler.status(broken, T2).conditions().get(0).getLastTransitionTime())
        .isEqualTo(T2);
  }
}
