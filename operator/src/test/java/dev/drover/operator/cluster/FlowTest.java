package dev.drover.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.DroverLabels;
import dev.drover.api.flow.FlowTaskPhase;
import dev.drover.api.flow.FlowTaskStatus;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TaskFlows on the CRUD mock API, with real agents running real commands. */
class FlowTest extends ClusterTest {

  static FlowTaskStatus task(TaskFlow flow, String name) {
    return flow.getStatus().tasks().stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  static Map<String, Long> countLines(Path ledger) throws IOException {
    return Files.readAllLines(ledger).stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  @Test
  void aChainHandsEachResultToTheNextStepAsData() {
    cluster.create(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskFlow
        metadata: {name: chain}
        spec:
          tasks:
          - name: pick
            spec: {selector: {matchLabels: {role: scanner}}, dispatch: Single, script: 'echo 7 > "$DROVER_RESULT"'}
          - name: quote
            dependsOn: [pick]
            spec: {selector: {matchLabels: {role: scanner}}, dispatch: Single,
                   script: 'printf "%s" "$(tasks.pick.result) and \\$(rm -rf /) ''it''s''" > "$DROVER_RESULT"'}
          - name: echo
            dependsOn: [quote]
            spec: {selector: {matchLabels: {role: scanner}}, dispatch: Single,
                   command: [/bin/sh, -c, 'printf "%s" "$1" > "$DROVER_RESULT"', sh, 'got: $(tasks.quote.result)']}
        """,
        TaskFlow.class);

    TaskFlow flow = cluster.awaitFlowPhase("chain", RunPhase.Succeeded);

    assertThat(task(flow, "pick").result()).isEqualTo("7");
    assertThat(task(flow, "quote").result()).isEqualTo("7 and $(rm -rf /) 'it's'");
    assertThat(task(flow, "echo").result()).isEqualTo("got: 7 and $(rm -rf /) 'it's'");
    assertThat(flow.getStatus().progress()).isEqualTo("3/3");
    assertThat(cluster.eventReasons("chain")).contains("TaskStarted", "Completed");
    TaskRun echo = cluster.get("chain-echo");
    assertThat(echo.getMetadata().getLabels())
        .containsEntry(DroverLabels.FLOW, "chain")
        .containsEntry(DroverLabels.FLOW_TASK, "echo");
  }

  @Test
  void aMapRunsEachElementOfAResultOnceWithinItsParallelism(@TempDir Path dir) throws IOException {
    Path ledger = dir.resolve("ledger");
    cluster.create(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskFlow
        metadata: {name: map}
        spec:
          tasks:
          - name: list
            spec: {selector: {matchLabels: {role: scanner}}, dispatch: Single,
                   script: 'echo "[\\"a\\", \\"b c\\", \\"d;e\\", \\"f\\", \\"g\\", \\"h\\"]" > "$DROVER_RESULT"'}
          - name: each
            dependsOn: [list]
            itemsFrom: $(tasks.list.result)
            spec: {selector: {matchLabels: {role: scanner}}, parallelism: 2,
                   script: 'echo $(item) >> "$LEDGER"; echo "done $(item)" > "$DROVER_RESULT"',
                   env: [{name: LEDGER, value: "%s"}]}
          - name: gather
            dependsOn: [each]
            spec: {selector: {matchLabels: {role: scanner}}, dispatch: Single,
                   script: 'printf "%%s" "$(tasks.each.result)" > "$DROVER_RESULT"'}
        """
            .formatted(ledger),
        TaskFlow.class);

    TaskFlow flow = cluster.awaitFlowPhase("map", RunPhase.Succeeded);

    assertThat(countLines(ledger))
        .containsOnlyKeys("a", "b c", "d;e", "f", "g", "h")
        .allSatisfy((item, times) -> assertThat(times).as("runs of %s", item).isEqualTo(1));
    assertThat(cluster.executions("map-each")).hasSize(6);
    assertThat(task(flow, "gather").result())
        .isEqualTo("[\"done a\",\"done b c\",\"done d;e\",\"done f\",\"done g\",\"done h\"]");
  }

  @Test
  void aHandledFailureRunsItsHandlerThenFinallyAndARetryRerunsOnlyWhatFailed(@TempDir Path dir)
      throws IOException {
    Path ledger = dir.resolve("ledger");
    Path failMarker = dir.resolve("fail");
    Files.writeString(failMarker, "");
    cluster.create(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskFlow
        metadata: {name: guarded}
        spec:
          tasks:
          - name: prepare
            spec: {selector: {matchLabels: {role: scanner}}, dispatch: Single, script: 'echo prepare >> "$LEDGER"', env: [{name: LEDGER, value: "%1$s"}]}
          - name: dump
            dependsOn: [prepare]
            spec: {selector: {matchLabels: {role: scanner}}, dispatch: Single, script: 'echo dump >> "$LEDGER"; test ! -e "%2$s"', env: [{name: LEDGER, value: "%1$s"}]}
          - name: page
            depends: dump.Failed
            spec: {selector: {matchLabels: {role: scanner}}, dispatch: Single, script: 'echo page >> "$LEDGER"', env: [{name: LEDGER, value: "%1$s"}]}
          finally:
          - name: cleanup
            spec: {selector: {matchLabels: {role: scanner}}, dispatch: Single, script: 'echo cleanup >> "$LEDGER"', env: [{name: LEDGER, value: "%1$s"}]}
        """
            .formatted(ledger, failMarker),
        TaskFlow.class);

    TaskFlow failed = cluster.awaitFlowPhase("guarded", RunPhase.Failed);
    assertThat(failed.getStatus().message()).startsWith("task dump failed");
    assertThat(task(failed, "dump").handled()).isTrue();
    assertThat(task(failed, "page").phase()).isEqualTo(FlowTaskPhase.Succeeded);
    assertThat(Files.readAllLines(ledger)).containsExactly("prepare", "dump", "page", "cleanup");

    Files.delete(failMarker);
    cluster
        .client()
        .resources(TaskFlow.class)
        .inNamespace(DroverCluster.NAMESPACE)
        .withName("guarded")
        .edit(
            f -> {
              f.getMetadata().setAnnotations(Map.of(DroverLabels.RETRY, "first"));
              return f;
            });

    TaskFlow retried = cluster.awaitFlowPhase("guarded", RunPhase.Succeeded);
    assertThat(retried.getStatus().retries()).isEqualTo(1);
    assertThat(task(retried, "dump").run()).isEqualTo("guarded-dump-r1");
    assertThat(task(retried, "prepare").run()).isEqualTo("guarded-prepare");
    // What succeeded is kept, the handler's run of the first try included.
    assertThat(task(retried, "page").run()).isEqualTo("guarded-page");
    assertThat(Files.readAllLines(ledger))
        .containsExactly("prepare", "dump", "page", "cleanup", "dump", "cleanup");
  }

  @Test
  void aFlowSurvivesAnOperatorRestartWithEveryTaskRunOnce(@TempDir Path dir) throws IOException {
    Path ledger = dir.resolve("ledger");
    StringBuilder tasks = new StringBuilder();
    for (int i = 1; i <= 6; i++) {
      tasks.append(
          """
            - name: step-%d
              %s
              spec: {selector: {matchLabels: {role: scanner}}, dispatch: Single, script: 'echo step-%d >> "$LEDGER"; sleep 0.3', env: [{name: LEDGER, value: "%s"}]}
          """
              .formatted(i, i == 1 ? "" : "dependsOn: [step-" + (i - 1) + "]", i, ledger));
    }
    cluster.create(
        "apiVersion: drover.dev/v1alpha1\n"
            + "kind: TaskFlow\n"
            + "metadata: {name: steps}\n"
            + "spec:\n"
            + "  tasks:\n"
            + tasks,
        TaskFlow.class);
    org.awaitility.Awaitility.await()
        .atMost(DroverCluster.PATIENCE)
        .until(() -> Files.exists(ledger) && Files.readAllLines(ledger).size() >= 2);

    cluster.stopOperator();
    cluster.startOperator();

    cluster.awaitFlowPhase("steps", RunPhase.Succeeded);
    assertThat(countLines(ledger))
        .hasSize(6)
        .allSatisfy((step, times) -> assertThat(times).as("runs of %s", step).isEqualTo(1));
    List<TaskRun> runs =
        cluster
            .client()
            .resources(TaskRun.class)
            .inNamespace(DroverCluster.NAMESPACE)
            .withLabel(DroverLabels.FLOW, "steps")
            .list()
            .getItems();
    assertThat(runs).hasSize(6);
  }
}
