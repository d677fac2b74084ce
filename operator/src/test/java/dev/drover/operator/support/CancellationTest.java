package dev.drover.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.TaskRun;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class CancellationTest {
  KubernetesClient client;

  @Test
  void aStaleCopyOfARunIsEnoughToCancelItAndNothingElseChanges() {
    TaskRun stale =
        Manifests.create(
            client,
            TaskRun.class,
            """
            apiVersion: drover.dev/v1alpha1
            kind: TaskRun
            metadata: {name: nightly, namespace: ops, labels: {team: ops}}
            spec:
              selector: {matchLabels: {role: scanner}}
              script: echo hello
            """);
    client
        .resources(TaskRun.class)
        .inNamespace("ops")
        .withName("nightly")
        .edit(r -> withLabel(r, "changed", "meanwhile"));

    Cancellation.request(client, stale);

    TaskRun current = client.resources(TaskRun.class).inNamespace("ops").withName("nightly").get();
    assertThat(current.getSpec().cancelRequested()).isTrue();
    assertThat(current.getSpec().script()).isEqualTo("echo hello");
    assertThat(current.getMetadata().getLabels()).containsEntry("changed", "meanwhile");
  }

  @Test
  void anExecutionIsCancelledTheSameWay() {
    TaskExecution execution =
        Manifests.create(
            client,
            TaskExecution.class,
            """
            apiVersion: drover.dev/v1alpha1
            kind: TaskExecution
            metadata: {name: nightly-single-1, namespace: ops}
            spec: {run: nightly, unit: single, attempt: 1, agent: scanner-1}
            """);

    Cancellation.request(client, execution);

    TaskExecution current =
        client.resources(TaskExecution.class).inNamespace("ops").withName("nightly-single-1").get();
    assertThat(current.getSpec().cancelRequested()).isTrue();
    assertThat(current.getSpec().agent()).isEqualTo("scanner-1");
  }

  private static TaskRun withLabel(TaskRun run, String key, String value) {
    run.getMetadata().getLabels().put(key, value);
    return run;
  }
}
