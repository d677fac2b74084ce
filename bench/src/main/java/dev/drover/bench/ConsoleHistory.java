package dev.drover.bench;

import dev.drover.api.DroverLabels;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionSpec;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The history the console benchmark reads: TaskRuns in ten namespaces with ten app labels, every
 * tenth Failed and the rest Succeeded (status written as finished), each with its executions, and a
 * ServiceAccount with every right to log in with.
 */
final class ConsoleHistory {
  static final String NAMESPACE_PREFIX = "console-bench-";
  private static final int NAMESPACES = 10;

  private final BenchCluster cluster;
  private final int runs;
  private final int executionsPerRun;

  ConsoleHistory(BenchCluster cluster, int runs, int executionsPerRun) {
    this.cluster = cluster;
    this.runs = runs;
    this.executionsPerRun = executionsPerRun;
  }

  /** Creates the history in fresh namespaces and adds how long it took to {@code rows}. */
  void fill(KubernetesClient client, List<String> rows) throws Exception {
    for (int n = 0; n < NAMESPACES; n++) {
      BenchCluster.namespace(client, NAMESPACE_PREFIX + n);
    }
    Duration created = cluster.inParallel(runs, index -> createRun(client, index));
    rows.add(
        BenchCluster.row(
            "fill",
            runs + " TaskRuns created and their status written",
            BenchCluster.seconds(created)));
    Duration executions =
        cluster.inParallel(runs * executionsPerRun, index -> createExecution(client, index));
    rows.add(
        BenchCluster.row(
            "fill",
            runs * executionsPerRun + " TaskExecutions created",
            BenchCluster.seconds(executions)));
  }

  static String namespaceOf(int run) {
    return NAMESPACE_PREFIX + (run % NAMESPACES);
  }

  /** Every tenth run Failed, the rest Succeeded; ten app labels. */
  private void createRun(KubernetesClient client, int index) {
    TaskRun run = new TaskRun();
    run.setMetadata(
        new ObjectMetaBuilder()
            .withName("bench-run-" + index)
            .withNamespace(namespaceOf(index))
            .withLabels(Map.of("app", "bench-" + (index / NAMESPACES % 10)))
            .build());
    run.setSpec(TaskRunSpec.builder().command(List.of("true")).build());
    client.resource(run).create();
    boolean failed = index % 10 == 3;
    String status =
        "{\"status\":{\"phase\":\"%s\",\"progress\":\"%d/%d\",\"message\":\"%s\",\"startTime\":\"%s\",\"completionTime\":\"%s\"}}"
            .formatted(
                failed ? "Failed" : "Succeeded",
                failed ? executionsPerRun - 1 : executionsPerRun,
                executionsPerRun,
                failed ? "1 target failed: disk full on host-" + index : "all targets succeeded",
                Instant.now(),
                Instant.now());
    client
        .resources(TaskRun.class)
        .inNamespace(namespaceOf(index))
        .withName("bench-run-" + index)
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), status);
  }

  private void createExecution(KubernetesClient client, int index) {
    int run = index / executionsPerRun;
    int unit = index % executionsPerRun;
    TaskExecution execution = new TaskExecution();
    execution.setMetadata(
        new ObjectMetaBuilder()
            .withName("bench-run-" + run + "-host-" + unit + "-1")
            .withNamespace(namespaceOf(run))
            .withLabels(Map.of(DroverLabels.RUN, "bench-run-" + run))
            .build());
    execution.setSpec(
        TaskExecutionSpec.builder()
            .run("bench-run-" + run)
            .unit("host-" + unit)
            .target("host-" + unit)
            .attempt(1)
            .agent("host-" + unit)
            .command(List.of("true"))
            .build());
    client.resource(execution).create();
  }

  /** A caller with every right, as a person logged in to the console would be. */
  static String adminToken(KubernetesClient client) {
    String namespace = NAMESPACE_PREFIX + 0;
    client
        .serviceAccounts()
        .inNamespace(namespace)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("bench-admin")
                .endMetadata()
                .build())
        .createOr(existing -> existing.update());
    client
        .rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("console-bench-admin")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("bench-admin")
                .withNamespace(namespace)
                .endSubject()
                .build())
        .createOr(existing -> existing.update());
    return client
        .serviceAccounts()
        .inNamespace(namespace)
        .withName("bench-admin")
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(7200L).endSpec().build())
        .getStatus()
        .getToken();
  }
}
