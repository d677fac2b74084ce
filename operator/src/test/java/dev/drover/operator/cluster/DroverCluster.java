package dev.drover.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drover.agent.AgentSettings;
import dev.drover.agent.DroverAgent;
import dev.drover.api.DroverLabels;
import dev.drover.api.agent.Agent;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.schedule.ScheduledTask;
import dev.drover.api.task.Task;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.operator.DroverOperator;
import dev.drover.operator.support.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The operator and any number of agents in this JVM, against one API (the CRUD mock server in these
 * tests). Agents run real processes.
 */
public final class DroverCluster implements AutoCloseable {
  public static final String NAMESPACE = "ops";
  public static final String LEASE_NAMESPACE = "drover-system";
  public static final Duration LEASE = Duration.ofSeconds(3);
  public static final Duration PATIENCE = Duration.ofSeconds(60);

  private final KubernetesClient client;
  private final List<DroverAgent> agents = new ArrayList<>();
  private DroverOperator operator;

  public DroverCluster(KubernetesClient client) {
    this.client = client;
  }

  public KubernetesClient client() {
    return client;
  }

  public void startOperator() {
    operator =
        new DroverOperator(
            client,
            Set.of(),
            LEASE_NAMESPACE,
            Clock.systemUTC(),
            new SimpleMeterRegistry(),
            null,
            10);
    operator.start();
  }

  public void stopOperator() {
    operator.close();
    operator = null;
  }

  public DroverAgent startAgent(
      String name, Map<String, String> labels, int capacity, String... namespaces) {
    AgentSettings settings =
        new AgentSettings(
            name,
            labels,
            namespaces.length == 0 ? List.of(NAMESPACE) : List.of(namespaces),
            capacity,
            4096,
            LEASE_NAMESPACE,
            LEASE,
            Duration.ofSeconds(5),
            "test-host",
            "test");
    DroverAgent agent =
        new DroverAgent(client, settings, Clock.systemUTC(), new SimpleMeterRegistry());
    agent.start();
    agents.add(agent);
    return agent;
  }

  /**
   * Starts agents scanner-1..n labelled role=scanner and waits until the operator calls them Ready.
   */
  public void startScanners(int count, int capacity) {
    for (int i = 1; i <= count; i++) {
      startAgent("scanner-" + i, Map.of("role", "scanner", "zone", "z" + i), capacity);
    }
    for (int i = 1; i <= count; i++) {
      awaitAgentReady("scanner-" + i, true);
    }
  }

  public void awaitAgentReady(String name, boolean ready) {
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              Agent agent = client.resources(Agent.class).withName(name).get();
              assertThat(agent).isNotNull();
              boolean isReady =
                  agent.getStatus() != null
                      && Conditions.isTrue(agent.getStatus().getConditions(), "Ready");
              assertThat(isReady)
                  .as(
                      "agent %s Ready: %s",
                      name, agent.getStatus() == null ? null : agent.getStatus().getConditions())
                  .isEqualTo(ready);
            });
  }

  public TaskRun apply(String yaml) {
    return create(yaml, TaskRun.class);
  }

  public Task applyTask(String yaml) {
    Task task = client.getKubernetesSerialization().unmarshal(yaml, Task.class);
    task.getMetadata().setNamespace(NAMESPACE);
    return client.resource(task).create();
  }

  public Task task(String name) {
    return client.resources(Task.class).inNamespace(NAMESPACE).withName(name).get();
  }

  public ScheduledTask schedule(String yaml) {
    return create(yaml, ScheduledTask.class);
  }

  /** Creates the object the YAML describes in the test namespace. */
  public <T extends HasMetadata> T create(String yaml, Class<T> type) {
    T object = client.getKubernetesSerialization().unmarshal(yaml, type);
    object.getMetadata().setNamespace(NAMESPACE);
    return client.resource(object).create();
  }

  public TaskFlow flow(String name) {
    return client.resources(TaskFlow.class).inNamespace(NAMESPACE).withName(name).get();
  }

  public TaskFlow awaitFlowPhase(String name, RunPhase phase) {
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              TaskFlow flow = flow(name);
              assertThat(flow.getStatus()).as("status of flow %s", name).isNotNull();
              assertThat(flow.getStatus().phase())
                  .as("phase of flow %s (%s)", name, flow.getStatus().message())
                  .isEqualTo(phase);
            });
    return flow(name);
  }

  public ScheduledTask scheduledTask(String name) {
    return client.resources(ScheduledTask.class).inNamespace(NAMESPACE).withName(name).get();
  }

  /** The runs a ScheduledTask has created, oldest due time first. */
  public List<TaskRun> scheduledRuns(String taskName) {
    return client
        .resources(TaskRun.class)
        .inNamespace(NAMESPACE)
        .withLabel(DroverLabels.SCHEDULED_TASK, taskName)
        .list()
        .getItems()
        .stream()
        .sorted(
            java.util.Comparator.comparing(
                r ->
                    r.getMetadata().getAnnotations().getOrDefault(DroverLabels.SCHEDULED_TIME, "")))
        .toList();
  }

  public TaskRun get(String runName) {
    return client.resources(TaskRun.class).inNamespace(NAMESPACE).withName(runName).get();
  }

  public TaskRun awaitPhase(String runName, RunPhase phase) {
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              TaskRun run = get(runName);
              assertThat(run.getStatus()).as("status of %s", runName).isNotNull();
              assertThat(run.getStatus().phase())
                  .as("phase of %s (%s)", runName, run.getStatus().message())
                  .isEqualTo(phase);
            });
    return get(runName);
  }

  public List<TaskExecution> executions(String runName) {
    return client
        .resources(TaskExecution.class)
        .inNamespace(NAMESPACE)
        .withLabel(DroverLabels.RUN, runName)
        .list()
        .getItems();
  }

  /** Checks that each of {@code items} lines of a ledger file was written exactly once. */
  public static void assertEachLineOnce(Path ledger, int items) throws IOException {
    Map<String, Long> runsPerItem =
        Files.readAllLines(ledger).stream()
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(runsPerItem)
        .hasSize(items)
        .allSatisfy((item, times) -> assertThat(times).as("runs of item %s", item).isEqualTo(1));
  }

  public List<String> eventReasons(String objectName) {
    return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> objectName.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason)
        .toList();
  }

  @Override
  public void close() throws InterruptedException {
    for (DroverAgent agent : agents) {
      agent.halt();
    }
    if (operator != null) {
      stopOperator();
    }
  }
}
