package dev.drover.operator;

import dev.drover.operator.agent.AgentReconciler;
import dev.drover.operator.flow.TaskFlowReconciler;
import dev.drover.operator.metrics.AgentStateMetrics;
import dev.drover.operator.metrics.PodMetrics;
import dev.drover.operator.metrics.RunMetrics;
import dev.drover.operator.pod.PodExecutionReconciler;
import dev.drover.operator.schedule.ScheduledTaskReconciler;
import dev.drover.operator.task.TaskReconciler;
import dev.drover.operator.taskrun.TaskRunReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Set;

/** The operator's controllers, wired to one client. */
public final class DroverOperator implements AutoCloseable {
  public static final String LEADER_LEASE = "drover-operator";
  private final Operator operator;
  private final boolean leaderElection;

  /**
   * @param namespaces namespaces whose TaskRuns are reconciled; empty for all
   * @param leaseNamespace where agents keep their Leases
   * @param leaderElectionNamespace where the leader-election Lease lives; null runs without leader
   *     election (a single replica)
   * @param reconcileThreads reconciles that may run at once, across all controllers
   */
  public DroverOperator(
      KubernetesClient client,
      Set<String> namespaces,
      String leaseNamespace,
      Clock clock,
      MeterRegistry registry,
      String leaderElectionNamespace,
      int reconcileThreads) {
    leaderElection = leaderElectionNamespace != null;
    operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withUseSSAToPatchPrimaryResource(false)
                  .checkingCRDAndValidateLocalModel(false)
                  .withCloseClientOnStop(false)
                  .withConcurrentReconciliationThreads(reconcileThreads)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
              if (leaderElectionNamespace != null) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        LEADER_LEASE, leaderElectionNamespace, identity()));
              }
            });
    operator.register(
        new TaskRunReconciler(client, clock, new RunMetrics(registry)), c -> watch(c, namespaces));
    operator.register(
        new PodExecutionReconciler(client, clock, new PodMetrics(registry)),
        c -> watch(c, namespaces));
    operator.register(new TaskFlowReconciler(client, clock), c -> watch(c, namespaces));
    operator.register(
        new ScheduledTaskReconciler(client, clock, registry), c -> watch(c, namespaces));
    operator.register(new TaskReconciler(client, clock), c -> watch(c, namespaces));
    operator.register(
        new AgentReconciler(
            client, clock, leaseNamespace, namespaces, new AgentStateMetrics(registry)));
  }

  private static void watch(
      ControllerConfigurationOverrider<?> controller, Set<String> namespaces) {
    if (namespaces.isEmpty()) {
      controller.watchingAllNamespaces();
    } else {
      controller.settingNamespaces(namespaces);
    }
  }

  /** Unique per replica: the pod name in a cluster, host and process id elsewhere. */
  private static String identity() {
    String pod = System.getenv("POD_NAME");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    String host = System.getenv().getOrDefault("HOSTNAME", "host");
    return host + "-" + ProcessHandle.current().pid();
  }

  public void start() {
    operator.start();
  }

  /** What the SDK reports about the controllers, for the probes. */
  public RuntimeInfo runtimeInfo() {
    return operator.getRuntimeInfo();
  }

  /**
   * Stops reconciling. With leader election the JVM is on its way out (SIGTERM): stopping would
   * make the SDK exit the JVM from within its shutdown hook, which blocks, so the Lease is left to
   * expire and the other replica takes over within its duration.
   */
  @Override
  public void close() {
    if (!leaderElection) {
      operator.stop();
    }
  }
}
