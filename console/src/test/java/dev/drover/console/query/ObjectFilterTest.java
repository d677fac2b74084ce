package dev.drover.console.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.taskrun.TaskRun;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ObjectFilterTest {
  private static TaskRun run(
      String namespace, String name, String created, Map<String, String> labels) {
    TaskRun run = new TaskRun();
    run.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(namespace)
            .withName(name)
            .withCreationTimestamp(created)
            .withLabels(labels)
            .build());
    return run;
  }

  private static final List<TaskRun> RUNS =
      List.of(
          run("a", "old", "2026-11-28T09:00:00Z", Map.of("app", "web")),
          run("a", "new", "2026-11-28T11:00:00Z", Map.of("app", "db")),
          run("b", "middle", "2026-11-28T10:00:00Z", Map.of("app", "web")),
          run("a", "same-time-z", "2026-11-28T10:00:00Z", Map.of()),
          run("a", "same-time-a", "2026-11-28T10:00:00Z", Map.of()));

  private static List<String> names(ObjectFilter filter, Set<String> visible) {
    return filter
        .apply(RUNS, visible, run -> "message of " + run.getMetadata().getName())
        .map(run -> run.getMetadata().getName())
        .toList();
  }

  @Test
  void newestFirstThenByNamespaceAndNameSoPagesDoNotShift() {
    assertThat(names(ObjectFilter.of(Map.of()), Set.of("a", "b")))
        .containsExactly("new", "same-time-a", "same-time-z", "middle", "old");
  }

  @Test
  void namespacesTheCallerMayNotListAreNeverShown() {
    assertThat(names(ObjectFilter.of(Map.of()), Set.of("b"))).containsExactly("middle");
    assertThat(names(ObjectFilter.of(Map.of("namespace", "b")), Set.of("a"))).isEmpty();
  }

  @Test
  void selectorAndTextNarrowTheList() {
    assertThat(names(ObjectFilter.of(Map.of("selector", "app=web")), Set.of("a", "b")))
        .containsExactly("middle", "old");
    assertThat(names(ObjectFilter.of(Map.of("q", "SAME")), Set.of("a", "b")))
        .containsExactly("same-time-a", "same-time-z");
    assertThat(names(ObjectFilter.of(Map.of("q", "message of old")), Set.of("a")))
        .containsExactly("old");
  }
}
