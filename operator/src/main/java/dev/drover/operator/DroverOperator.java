package dev.drover.operator;

import dev.drover.operator.agent.AgentReconciler;
import dev.drover.operator.cache.SlimStore;
import dev.drover.operator.cache.Slimming;
import dev.drover.operator.flow.TaskFlowReconciler;
import dev.drover.operator.metrics.AgentStateMetrics;
import dev.drover.operator.metrics.PodMetrics;
import dev.drover.operator.metrics.RunMetrics;
import dev.drover.operator.pod.PodExecutionReconciler;
import dev.drover.operator.schedule.ScheduledTaskReconciler;
import dev.drover.operator.task.TaskReconciler;
import dev.drover.operator.taskrun.TaskRunReconciler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;

/** The operator's controllers, wired to one client. */
public final class DroverOperator implements AutoCloseable {
  public static final String LEADER_LEASE = "drover-operator";
  static final Duration CACHE_SYNC_TIMEOUT = Duration.ofMinutes(10);
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
                  // Listing a long history takes minutes on a busy API server; the SDK's default
                  // of two minutes would stop the operator before it starts.
                  .withCacheSyncTimeout(CACHE_SYNC_TIMEOUT)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
              if (leaderElectionNamespace != null) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        LEADER_LEASE, leaderElectionNamespace, identity()));
              }
            });
    TaskRunReconciler runs = new TaskRunReconciler(client, clock, new RunMetrics(registry));
    operator.register(runs, c -> watch(c, namespaces, Slimming::run));
    operator.register(
        new PodExecutionReconciler(client, clock, new PodMetrics(registry)),
        c -> watch(c, namespaces, e -> Slimming.execution(e, Integer.MAX_VALUE)));
    operator.register(
        new TaskFlowReconciler(client, clock),
        c -> watch(c, namespaces, Slimming::withoutBookkeeping));
    operator.register(
        new ScheduledTaskReconciler(client, clock, registry),
        c -> watch(c, namespaces, Slimming::withoutBookkeeping));
    operator.register(
        new TaskReconciler(client, clock), c -> watch(c, namespaces, Slimming::withoutBookkeeping));
    operator.register(
        new AgentReconciler(
            client, clock, leaseNamespace, runs::unfinishedOn, new AgentStateMetrics(registry)),
        c ->
            SlimStore.slimmed(
                c, Set.of(Constants.WATCH_ALL_NAMESPACES), Slimming::withoutBookkeeping));
  }

  private static <R extends HasMetadata> void watch(
      ControllerConfigurationOverrider<R> controller,
      Set<String> namespaces,
      UnaryOperator<R> slimming) {
    if (namespaces.isEmpty()) {
      controller.watchingAllNamespaces();
      SlimStore.slimmed(controller, Set.of(Constants.WATCH_ALL_NAMESPACES), slimming);
    } else {
      controller.settingNamespaces(namespaces);
      SlimStore.slimmed(controller, namespaces, slimming);
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
