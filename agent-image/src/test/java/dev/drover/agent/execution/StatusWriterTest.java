package dev.drover.agent.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.execution.BatchProgress;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionSpec;
import dev.drover.api.execution.TaskExecutionStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Status writes on the CRUD mock API. */
@EnableKubernetesMockClient(crud = true)
class StatusWriterTest {
  private static final TaskExecutionStatus RUNNING =
      TaskExecutionStatus.of(ExecutionPhase.Running, "Started", null);
  private static final TaskExecutionStatus SUCCEEDED =
      TaskExecutionStatus.of(ExecutionPhase.Succeeded, "Completed", "done");

  KubernetesClient client;
  KubernetesMockServer server;

  @Test
  void aStatusIsWrittenToAnUnfinishedExecution() {
    ExecutionKey scan = create("scan", null);

    assertThat(new StatusWriter(client).write(scan, SUCCEEDED)).isTrue();

    assertThat(current("scan").getStatus()).isEqualTo(SUCCEEDED);
  }

  @Test
  void aFinishedStatusIsNeverOverwritten() {
    TaskExecutionStatus lost =
        TaskExecutionStatus.of(ExecutionPhase.Lost, "AgentLost", "agent node-a is not ready");
    ExecutionKey scan = create("scan", lost);

    assertThat(new StatusWriter(client).write(scan, SUCCEEDED)).isFalse();

    assertThat(current("scan").getStatus()).isEqualTo(lost);
  }

  @Test
  void thereIsNothingToReportToOnceTheExecutionIsDeleted() {
    ExecutionKey scan = create("scan", null);
    client.resource(current("scan")).delete();

    assertThat(new StatusWriter(client).write(scan, SUCCEEDED)).isFalse();
  }

  @Test
  void aNewExecutionOfTheSameNameIsNotWrittenTo() {
    ExecutionKey earlier = new ExecutionKey("ops", "scan", "uid-of-an-earlier-scan");
    create("scan", null);

    assertThat(new StatusWriter(client).write(earlier, SUCCEEDED)).isFalse();

    assertThat(current("scan").getStatus()).isNull();
  }

  @Test
  void aWriteThatConflictsWithAConcurrentChangeIsReadAndWrittenAgain() {
    ExecutionKey scan = create("scan", null);
    server
        .expect()
        .patch()
        .withPath("/apis/drover.dev/v1alpha1/namespaces/ops/taskexecutions/scan/status")
        .andReturn(409, null)
        .once();

    assertThat(new StatusWriter(client).write(scan, SUCCEEDED)).isTrue();

    assertThat(current("scan").getStatus()).isEqualTo(SUCCEEDED);
  }

  @Test
  void anExecutionTheAgentHasSeenIsWrittenWithoutReadingItFirst() {
    StatusWriter writer = new StatusWriter(client);
    ExecutionKey scan = create("scan", null);
    writer.observed(current(scan.name()));
    int before = server.getRequestCount();

    assertThat(writer.write(scan, RUNNING)).isTrue();
    assertThat(writer.write(scan, SUCCEEDED)).isTrue();

    assertThat(server.getRequestCount() - before).as("two patches, no reads").isEqualTo(2);
    assertThat(current("scan").getStatus()).isEqualTo(SUCCEEDED);
  }

  @Test
  void anExecutionFinishedByTheOperatorSinceTheAgentSawItIsNotOverwritten() {
    StatusWriter writer = new StatusWriter(client);
    ExecutionKey scan = create("scan", null);
    writer.observed(current(scan.name()));
    TaskExecution lostByOperator = current("scan");
    lostByOperator.setStatus(
        TaskExecutionStatus.of(ExecutionPhase.Lost, "AgentLost", "agent node-a is not ready"));
    client.resource(lostByOperator).updateStatus();

    assertThat(writer.write(scan, SUCCEEDED)).isFalse();

    assertThat(current("scan").phase()).isEqualTo(ExecutionPhase.Lost);
  }

  @Test
  void aBatchsStatusIsReplacedWholeSoThatItsListsShrink() {
    ExecutionKey batch = createBatch("sweep");
    StatusWriter writer = new StatusWriter(client);

    assertThat(writer.write(batch, running(new BatchProgress(2, 0, List.of(0, 1), null, null))))
        .isTrue();
    assertThat(writer.write(batch, running(new BatchProgress(2, 2, List.of(), null, null))))
        .isTrue();

    assertThat(current("sweep").getStatus().batch().running()).isEmpty();
    assertThat(current("sweep").getStatus().batch().succeeded()).isEqualTo(2);
  }

  @Test
  void aBatchEndedBySomeoneElseSinceTheLastWriteIsNotWrittenOver() {
    ExecutionKey batch = createBatch("sweep");
    StatusWriter writer = new StatusWriter(client);
    writer.write(batch, running(new BatchProgress(1, 0, List.of(0), null, null)));
    TaskExecution lost = current("sweep");
    lost.setStatus(TaskExecutionStatus.of(ExecutionPhase.Lost, "AgentLost", "gone"));
    client.resource(lost).updateStatus();
    // The API server refuses a write over a resourceVersion that is no longer current.
    server
        .expect()
        .put()
        .withPath("/apis/drover.dev/v1alpha1/namespaces/ops/taskexecutions/sweep/status")
        .andReturn(409, null)
        .once();

    assertThat(writer.write(batch, SUCCEEDED)).isFalse();

    assertThat(current("sweep").getStatus().phase()).isEqualTo(ExecutionPhase.Lost);
  }

  private static TaskExecutionStatus running(BatchProgress progress) {
    return TaskExecutionStatus.of(ExecutionPhase.Running, "Started", null).withBatch(progress);
  }

  private ExecutionKey createBatch(String name) {
    return create(name, null, List.of("a", "b"));
  }

  private ExecutionKey create(String name, TaskExecutionStatus status) {
    return create(name, status, null);
  }

  private ExecutionKey create(String name, TaskExecutionStatus status, List<String> items) {
    TaskExecution execution = new TaskExecution();
    execution.setMetadata(new ObjectMetaBuilder().withNamespace("ops").withName(name).build());
    execution.setSpec(
        TaskExecutionSpec.builder()
            .run("nightly")
            .unit("single")
            .items(items)
            .itemIndices(items == null ? null : List.of(0, 1))
            .attempt(1)
            .agent("node-a")
            .script("true")
            .build());
    TaskExecution created = client.resource(execution).create();
    if (status != null) {
      created.setStatus(status);
      created = client.resource(created).updateStatus();
    }
    return ExecutionKey.of(created);
  }

  private TaskExecution current(String name) {
    return client.resources(TaskExecution.class).inNamespace("ops").withName(name).get();
  }
}
