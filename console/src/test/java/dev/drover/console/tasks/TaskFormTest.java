package dev.drover.console.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.api.task.Task;
import dev.drover.api.task.TaskParam;
import dev.drover.api.task.TaskSpec;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.console.web.HttpError;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskFormTest {
  private static final Task BACKUP = backup();

  private static Task backup() {
    Task task = new Task();
    task.setMetadata(new ObjectMetaBuilder().withNamespace("ops").withName("backup").build());
    task.setSpec(
        new TaskSpec(
            "Back up",
            List.of(
                new TaskParam("database", "which one", true, null, null),
                new TaskParam("mode", null, null, "full", List.of("full", "incremental")),
                new TaskParam("note", null, null, null, null)),
            TaskRunSpec.builder().script("backup").build()));
    return task;
  }

  @Test
  void aRunRefersToTheTaskWithTheValuesGivenAndBlankMeansTheDefault() {
    var run =
        TaskForm.runOf(BACKUP, Map.of("database", "orders", "mode", "", "note", "before upgrade"));

    assertThat(run.getMetadata().getNamespace()).isEqualTo("ops");
    assertThat(run.getMetadata().getGenerateName()).isEqualTo("backup-");
    assertThat(run.getSpec().taskRef().name()).isEqualTo("backup");
    assertThat(run.getSpec().taskRef().params())
        .containsExactlyInAnyOrderEntriesOf(Map.of("database", "orders", "note", "before upgrade"));
  }

  @Test
  void everyProblemIsNamedAtOnce() {
    assertThatThrownBy(() -> TaskForm.runOf(BACKUP, Map.of("mode", "weekly", "colour", "red")))
        .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage(
            "database is required; mode must be one of full, incremental, not \"weekly\"; colour is"
                + " not a param of task backup");
  }
}
