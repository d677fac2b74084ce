package dev.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.api.DroverLabels;
import dev.drover.api.agent.Agent;
import dev.drover.api.agent.AgentSpec;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionStatus;
import dev.drover.api.schedule.ScheduledTask;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.TaskRun;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Each command against an in-memory API server: what it changes, prints and exits with. */
@EnableKubernetesMockClient(crud = true)
class CommandsTest {
  KubernetesClient client;

  private CliRun drover(String... args) {
    return CliRun.of(client, args);
  }

  private TaskRun createRun(String name) {
    return client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: drover.dev/v1alpha1
                kind: TaskRun
                metadata: {name: %s, namespace: test, labels: {team: dba}}
                spec:
                  selector: {matchLabels: {role: db}}
                  dispatch: Single
                  command: [pg_dump, orders]
                """
                    .formatted(name),
                TaskRun.class))
        .create();
  }

  @Test
  void everyCommandExplainsItselfWithExamples() {
    CommandLine root = new CommandLine(new DroverCli(null));
    assertThat(root.getSubcommands()).hasSize(15);
    for (String command : root.getSubcommands().keySet()) {
      CliRun help = drover(command, "-h");

      assertThat(help.exitCode()).as(command).isZero();
      assertThat(help.out()).as(command).contains("Usage: kubectl drover " + command, "Examples:");
    }
  }

  @Test
  void aBadFlagExitsTwoWithOneLineAndWhereToLook() {
    CliRun bad = drover("get", "runs", "--colour");

    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err().lines())
        .containsExactly("error: Unknown option: '--colour'", "See 'kubectl drover get -h'.");
  }

  @ParameterizedTest
  @ValueSource(strings = {"get pods", "run", "run --on role=db", "drain web-1 --timeout soon"})
  void wrongUseExitsTwoAndSaysWhy(String line) {
    CliRun wrong = drover(line.split(" "));

    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(wrong.err()).startsWith("error: ").contains("See 'kubectl drover ");
  }

  @Test
  void whatDoesNotExistExitsThree() {
    assertThat(drover("get", "run", "nope").exitCode()).isEqualTo(3);
    CliRun cancel = drover("cancel", "nope");
    assertThat(cancel.exitCode()).isEqualTo(3);
    assertThat(cancel.err()).contains("not found");
    assertThat(drover("describe", "flow/nope").exitCode()).isEqualTo(3);
    assertThat(drover("logs", "nope").exitCode()).isEqualTo(3);
  }

  @Test
  void cancelSetsTheRunsCancelAndRetryAFreshRetryToken() {
    createRun("backup");

    assertThat(drover("cancel", "backup").out()).isEqualTo("taskrun/backup cancel requested\n");
    assertThat(runNamed("backup").getSpec().cancelRequested()).isTrue();

    assertThat(drover("retry", "backup").exitCode()).isZero();
    String first = runNamed("backup").getMetadata().getAnnotations().get(DroverLabels.RETRY);
    drover("retry", "backup");
    String second = runNamed("backup").getMetadata().getAnnotations().get(DroverLabels.RETRY);
    assertThat(first).isNotBlank();
    assertThat(second).isNotBlank().isNotEqualTo(first);
  }

  @Test
  void rerunStartsANewRunFromTheSpecLabelledWithTheOriginal() {
    createRun("backup");
    drover("cancel", "backup");

    CliRun rerun = drover("rerun", "backup");

    assertThat(rerun.exitCode()).isZero();
    TaskRun again =
        client
            .resources(TaskRun.class)
            .inNamespace("test")
            .withLabel(DroverLabels.RERUN_OF, "backup")
            .list()
            .getItems()
            .get(0);
    assertThat(again.getMetadata().getName()).startsWith("backup-");
    assertThat(again.getMetadata().getLabels()).containsEntry("team", "dba");
    assertThat(again.getSpec().command()).containsExactly("pg_dump", "orders");
    assertThat(again.getSpec().cancelRequested()).as("the cancel was the original's").isFalse();
    assertThat(rerun.err())
        .isEqualTo("taskrun/" + again.getMetadata().getName() + " created from taskrun/backup\n");
  }

  @Test
  void schedulesAreSuspendedResumedAndTriggered() {
    client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: drover.dev/v1alpha1
                kind: ScheduledTask
                metadata: {name: nightly, namespace: test}
                spec:
                  schedule: "0 2 * * *"
                  runTemplate: {spec: {selector: {matchLabels: {role: db}}, command: [true]}}
                """,
                ScheduledTask.class))
        .create();

    drover("suspend", "nightly");
    assertThat(schedule().getSpec().suspended()).isTrue();
    drover("resume", "nightly");
    assertThat(schedule().getSpec().suspended()).isFalse();
    assertThat(drover("trigger", "nightly").out()).isEqualTo("scheduledtask/nightly triggered\n");
    assertThat(schedule().getMetadata().getAnnotations()).containsKey(DroverLabels.RUN_NOW);
  }

  @Test
  void cordonAndUncordonSetTheAgentsUnschedulable() {
    Agent agent = new Agent();
    agent.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("web-1").build());
    agent.setSpec(
        new AgentSpec(4, List.of("test"), "web-1", "1.0", "web-1", "drover-system", null));
    client.resource(agent).create();

    assertThat(drover("cordon", "web-1").out()).isEqualTo("agent/web-1 cordoned\n");
    assertThat(agentNamed("web-1").getSpec().cordoned()).isTrue();
    drover("uncordon", "web-1");
    assertThat(agentNamed("web-1").getSpec().cordoned()).isFalse();
  }

  @Test
  void aDryRunPrintsTheRunItWouldCreateAndCreatesNothing() {
    CliRun adHoc =
        drover(
            "run",
            "--on",
            "role=web,zone=a",
            "--distribute",
            "a,b",
            "--timeout",
            "30",
            "--dry-run",
            "-o",
            "yaml",
            "--",
            "sh",
            "-c",
            "echo $DROVER_ITEM");
    CliRun templated = drover("run", "db-dump", "-p", "database=orders", "--dry-run", "-o", "json");

    TaskRun fromCommand = Serialization.unmarshal(adHoc.out(), TaskRun.class);
    assertThat(fromCommand.getMetadata().getGenerateName()).isEqualTo("sh-");
    assertThat(fromCommand.getSpec().selector().getMatchLabels())
        .isEqualTo(Map.of("role", "web", "zone", "a"));
    assertThat(fromCommand.getSpec().dispatch()).isEqualTo(Dispatch.Distribute);
    assertThat(fromCommand.getSpec().items()).containsExactly("a", "b");
    assertThat(fromCommand.getSpec().timeoutSeconds()).isEqualTo(30L);
    assertThat(fromCommand.getSpec().command()).containsExactly("sh", "-c", "echo $DROVER_ITEM");
    TaskRun fromTask = Serialization.unmarshal(templated.out(), TaskRun.class);
    assertThat(fromTask.getSpec().taskRef().name()).isEqualTo("db-dump");
    assertThat(fromTask.getSpec().taskRef().params()).isEqualTo(Map.of("database", "orders"));
    assertThat(fromTask.getSpec().command()).isNull();
    assertThat(client.resources(TaskRun.class).inNamespace("test").list().getItems()).isEmpty();
  }

  @Test
  void runsAreListedAsJsonYamlOrNames() throws Exception {
    createRun("backup");
    createRun("vacuum");

    CliRun asJson = drover("get", "runs", "-o", "json");
    assertThat(asJson.exitCode()).as(asJson.err()).isZero();
    String json = asJson.out();
    JsonNode list = new ObjectMapper().readTree(json);
    assertThat(list.get("kind")).as(json).isNotNull();
    assertThat(list.get("kind").asText()).isEqualTo("List");
    assertThat(list.get("items").findValuesAsText("name")).containsExactly("backup", "vacuum");
    assertThat(drover("get", "runs", "-o", "name").out())
        .isEqualTo("taskrun/backup\ntaskrun/vacuum\n");
    TaskRun one =
        Serialization.unmarshal(drover("get", "run", "vacuum", "-o", "yaml").out(), TaskRun.class);
    assertThat(one.getMetadata().getName()).isEqualTo("vacuum");
    assertThat(drover("get", "runs", "-l", "team=web").err()).isEqualTo("No runs found.\n");
  }

  @Test
  void drainCordonsAndReturnsOnceTheAgentsWorkHasFinished() {
    cordonAndUncordonSetTheAgentsUnschedulable();
    TaskExecution running =
        client
            .resource(
                Serialization.unmarshal(
                    """
                    apiVersion: drover.dev/v1alpha1
                    kind: TaskExecution
                    metadata: {name: backup-1, namespace: test, labels: {drover.dev/agent: web-1}}
                    spec: {run: backup, unit: single, attempt: 1, agent: web-1}
                    status: {phase: Running}
                    """,
                    TaskExecution.class))
            .create();

    CliRun.Running drain = CliRun.start(client, "drain", "web-1");

    await().atMost(Duration.ofSeconds(20)).until(() -> agentNamed("web-1").getSpec().cordoned());
    assertThat(drain.exit()).isNotDone();
    running.setStatus(TaskExecutionStatus.of(ExecutionPhase.Succeeded, "Completed", ""));
    client.resource(running).updateStatus();
    CliRun drained = drain.exit().join();
    assertThat(drained.exitCode()).isZero();
    assertThat(drained.out()).isEqualTo("agent/web-1 cordoned\nagent/web-1 drained\n");
  }

  private TaskRun runNamed(String name) {
    return client.resources(TaskRun.class).inNamespace("test").withName(name).get();
  }

  private ScheduledTask schedule() {
    return client.resources(ScheduledTask.class).inNamespace("test").withName("nightly").get();
  }

  private Agent agentNamed(String name) {
    return client.resources(Agent.class).withName(name).get();
  }
}
