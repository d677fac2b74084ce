package dev.drover.operator;

import dev.drover.operator.health.ApiServerReachability;
import dev.drover.operator.health.Controllers;
import dev.drover.operator.health.OperatorHealth;
import dev.drover.runtime.HttpEndpoints;
import dev.drover.runtime.HttpPort;
import dev.drover.runtime.KubeConfigs;
import dev.drover.runtime.Lifecycle;
import dev.drover.runtime.ProcessCommand;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "drover-operator",
    mixinStandardHelpOptions = true,
    version = "drover-operator",
    description =
        "Reconciles Drover TaskRuns, ScheduledTasks and Agents, and runs TaskRun attempts in pods"
            + " where asked. Uses KUBECONFIG or in-cluster config.")
public class OperatorMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(OperatorMain.class);
  private static final int MAX_CONCURRENT_REQUESTS = 256;

  /**
   * The least time a request may take. An informer's first list of a long history (100,000
   * executions are about 400 MB of JSON) outlasts the client's default of 10 s on a busy API
   * server, and a list given up on is asked again from the start: the operator never started.
   */
  private static final int REQUEST_TIMEOUT_MILLIS = 120_000;

  private static final int DEFAULT_PORT = 8080;
  private static final List<String> CRDS =
      List.of(
          "agents.drover.dev",
          "taskruns.drover.dev",
          "taskexecutions.drover.dev",
          "scheduledtasks.drover.dev",
          "tasks.drover.dev",
          "taskflows.drover.dev");

  @Option(
      names = "--namespaces",
      split = ",",
      defaultValue = "${env:DROVER_WATCH_NAMESPACES}",
      description =
          "Namespaces whose TaskRuns are reconciled (env DROVER_WATCH_NAMESPACES); all when empty.")
  List<String> namespaces;

  @Option(
      names = HttpPort.FLAG,
      defaultValue = "${env:DROVER_OPERATOR_PORT}",
      description =
          "Port of /healthz, /readyz and /metrics (env DROVER_OPERATOR_PORT); 0 turns them off."
              + " Without it: 8080, or a free port when 8080 is taken.")
  Integer port;

  @Option(
      names = "--stall-timeout",
      defaultValue = "${env:DROVER_STALL_TIMEOUT_SECONDS:-120}",
      description =
          "Seconds the informers may stay unhealthy while the API server answers before /healthz"
              + " fails and the pod is restarted (default ${DEFAULT-VALUE}).")
  int stallTimeoutSeconds;

  @Option(
      names = "--lease-namespace",
      defaultValue = "${env:DROVER_LEASE_NAMESPACE:-drover-system}",
      description =
          "Namespace where agents keep their Leases; created when missing (default"
              + " ${DEFAULT-VALUE}).")
  String leaseNamespace;

  @Option(
      names = "--leader-election",
      defaultValue = "${env:DROVER_LEADER_ELECTION:-false}",
      description =
          "Reconcile only while holding the drover-operator Lease, for running several replicas.")
  boolean leaderElection;

  @Option(
      names = "--leader-election-namespace",
      defaultValue = "${env:POD_NAMESPACE:-drover-system}",
      description =
          "Namespace of the leader-election Lease (env POD_NAMESPACE, default ${DEFAULT-VALUE}).")
  String leaderElectionNamespace;

  @Option(
      names = "--reconcile-threads",
      defaultValue = "${env:DROVER_RECONCILE_THREADS:-100}",
      description = "Reconciles that may run at once (default ${DEFAULT-VALUE}).")
  int reconcileThreads;

  @Option(
      names = "--install-crds",
      description =
          "Create the drover.dev CRDs when they are missing (needs the right to create CRDs).")
  boolean installCrds;

  public static void main(String[] args) {
    System.exit(ProcessCommand.of(new OperatorMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    HttpEndpoints endpoints = HttpEndpoints.bind(HttpPort.of(port, DEFAULT_PORT));
    Config config = KubeConfigs.autoConfigured();
    // fabric8 allows 5 requests at once per host by default; the reconcilers run
    // --reconcile-threads (100 by default) at once.
    config.setMaxConcurrentRequests(MAX_CONCURRENT_REQUESTS);
    config.setMaxConcurrentRequestsPerHost(MAX_CONCURRENT_REQUESTS);
    config.setRequestTimeout(Math.max(config.getRequestTimeout(), REQUEST_TIMEOUT_MILLIS));
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      Set<String> watched = namespaces == null ? Set.of() : new HashSet<>(namespaces);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      new JvmMemoryMetrics().bindTo(registry);
      new JvmGcMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      DroverOperator operator =
          new DroverOperator(
              client,
              watched,
              leaseNamespace,
              Clock.systemUTC(),
              registry,
              leaderElection ? leaderElectionNamespace : null,
              reconcileThreads);
      OperatorHealth health = health(client, operator);
      endpoints.serve(health::liveness, health::readiness, registry::scrape);
      if (installCrds) {
        installMissingCrds(client);
      }
      ensureNamespace(client, leaseNamespace);
      operator.start();
      log.info(
          "Drover operator started; watching {}", watched.isEmpty() ? "all namespaces" : watched);
      Lifecycle.runUntilShutdown(operator, endpoints);
    }
    return 0;
  }

  private OperatorHealth health(KubernetesClient client, DroverOperator operator) {
    Clock clock = Clock.systemUTC();
    return new OperatorHealth(
        Controllers.of(operator.runtimeInfo()),
        new ApiServerReachability(client, clock),
        clock,
        Duration.ofSeconds(stallTimeoutSeconds));
  }

  /**
   * Creates the namespace of agent leases when missing; an operator without that right skips it.
   */
  private static void ensureNamespace(KubernetesClient client, String name) {
    try {
      if (client.namespaces().withName(name).get() == null) {
        client
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
            .create();
        log.info("Created namespace {} for agent leases", name);
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403) {
        throw e;
      }
      log.info("Not allowed to check namespace {}; it is expected to exist", name);
    }
  }

  private static void installMissingCrds(KubernetesClient client) throws IOException {
    for (String name : CRDS) {
      if (client.apiextensions().v1().customResourceDefinitions().withName(name).get() != null) {
        continue;
      }
      try (InputStream yaml =
          OperatorMain.class.getResourceAsStream("/META-INF/fabric8/" + name + "-v1.yml")) {
        CustomResourceDefinition crd =
            client.getKubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName(name)
            .waitUntilCondition(
                c ->
                    c.getStatus() != null
                        && c.getStatus().getConditions().stream()
                            .anyMatch(
                                cond ->
                                    "Established".equals(cond.getType())
                                        && "True".equals(cond.getStatus())),
                30,
                java.util.concurrent.TimeUnit.SECONDS);
        log.info("Installed CRD {}", name);
      }
    }
  }
}
