package dev.drover.operator.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A reconciler whose status is its primary's "message" annotation, on the CRUD mock API. */
@EnableKubernetesMockClient(crud = true)
class StatusesTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  KubernetesClient client;
  private final MessageAsStatus reconciler = new MessageAsStatus();
  private Operator operator;

  @BeforeEach
  void startOperator() {
    operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .checkingCRDAndValidateLocalModel(false)
                    .withCloseClientOnStop(false));
    operator.register(reconciler);
    operator.start();
  }

  @AfterEach
  void stopOperator() {
    operator.stop();
  }

  @Test
  void aNewStatusIsWrittenAndAnUnchangedOneIsNot() {
    Manifests.create(
        client,
        TaskExecution.class,
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskExecution
        metadata:
          name: attempt
          namespace: ops
          annotations: {message: one, poke: "0"}
        spec: {run: nightly, unit: single, attempt: 1}
        """);
    await().atMost(PATIENCE).until(() -> reconciler.wrote("one", "0"));
    assertThat(current().getStatus().message()).isEqualTo("one");

    String versionAfterPoke = annotate("poke", "1").getMetadata().getResourceVersion();
    await().atMost(PATIENCE).until(() -> reconciler.saw("one", "1"));

    assertThat(reconciler.wrote("one", "1")).isFalse();
    assertThat(current().getMetadata().getResourceVersion()).isEqualTo(versionAfterPoke);

    annotate("message", "two");
    await().atMost(PATIENCE).until(() -> reconciler.wrote("two", "1"));
    assertThat(current().getStatus().message()).isEqualTo("two");
  }

  private TaskExecution annotate(String key, String value) {
    return client
        .resources(TaskExecution.class)
        .inNamespace("ops")
        .withName("attempt")
        .edit(
            e -> {
              e.getMetadata().getAnnotations().put(key, value);
              return e;
            });
  }

  private TaskExecution current() {
    return client.resources(TaskExecution.class).inNamespace("ops").withName("attempt").get();
  }

  /** What each pass saw (message and poke annotations) and whether it wrote. */
  record Pass(String message, String poke, boolean wrote) {}

  @ControllerConfiguration(name = "message-as-status", generationAwareEventProcessing = false)
  static final class MessageAsStatus implements Reconciler<TaskExecution> {
    private final List<Pass> passes = new CopyOnWriteArrayList<>();

    @Override
    public UpdateControl<TaskExecution> reconcile(
        TaskExecution execution, Context<TaskExecution> context) {
      Map<String, String> annotations = execution.getMetadata().getAnnotations();
      String message = annotations.get("message");
      TaskExecutionStatus status = TaskExecutionStatus.of(ExecutionPhase.Running, null, message);
      boolean wrote = Statuses.replaceIfChanged(execution, status, context);
      passes.add(new Pass(message, annotations.get("poke"), wrote));
      return UpdateControl.noUpdate();
    }

    boolean saw(String message, String poke) {
      return passes.stream().anyMatch(p -> p.message().equals(message) && p.poke().equals(poke));
    }

    boolean wrote(String message, String poke) {
      return passes.contains(new Pass(message, poke, true));
    }
  }
}
