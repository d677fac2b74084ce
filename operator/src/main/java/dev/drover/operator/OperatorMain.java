package dev.drover.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "drover-operator",
    mixinStandardHelpOptions = true,
    version = "drover-operator",
    description = "Reconciles Drover TaskRuns and Agents. Uses KUBECONFIG or in-cluster config.")
public class OperatorMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(OperatorMain.class);
  private static final int MAX_CONCURRENT_REQUESTS = 256;
  private static final List<String> CRDS =
      List.of("agents.drover.dev", "taskruns.drover.dev", "taskexecutions.drover.dev", "scheduledtasks.drover.dev");

  @Option(
      names = "--namespaces",
      split = ",",
      defaultValue = "${env:DROVER_WATCH_NAMESPACES}",
      description = "Namespaces whose TaskRuns are reconciled (env DROVER_WATCH_NAMESPACES); all when empty.")
  List<String> namespaces;

  @Option(
      names = "--port",
      defaultValue = "${env:DROVER_OPERATOR_PORT:-8080}",
      description = "Port of /healthz, /readyz and /metrics (default ${DEFAULT-VALUE}); 0 disables them.")
  int port;

  @Option(
      names = "--lease-namespace",
      defaultValue = "${env:DROVER_LEASE_NAMESPACE:-drover-system}",
      description = "Namespace where agents keep their Leases; created when missing (default ${DEFAULT-VALUE}).")
  String leaseNamespace;

  @Option(
      names = "--install-crds",
      description = "Create the drover.dev CRDs when they are missing (needs the right to create CRDs).")
  boolean installCrds;

  public static void main(String[] args) {
    System.exit(new CommandLine(new OperatorMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Config config = Config.autoConfigure(null);
    // fabric8 allows 5 requests at once per host by default; the reconcilers run 50 at once.
    config.setMaxConcurrentRequests(MAX_CONCURRENT_REQUESTS);
    config.setMaxConcurrentRequestsPerHost(MAX_CONCURRENT_REQUESTS);
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      if (installCrds) {
        installMissingCrds(client);
      }
      if (client.namespaces().withName(leaseNamespace).get() == null) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(leaseNamespace).endMetadata().build()).create();
        log.info("Created namespace {} for agent leases", leaseNamespace);
      }
      Set<String> watched = namespaces == null ? Set.of() : new HashSet<>(namespaces);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      new JvmMemoryMetrics().bindTo(registry);
      new JvmGcMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      DroverOperator operator = new DroverOperator(client, watched, leaseNamespace, Clock.systemUTC(), registry);
      HttpServer health = port == 0 ? null : startHttpServer(port, registry);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    operator.close();
                    if (health != null) {
                      health.stop(0);
                    }
                    stopped.countDown();
                  }));
      operator.start();
      log.info("Drover operator started; watching {}", watched.isEmpty() ? "all namespaces" : watched);
      stopped.await();
    }
    return 0;
  }

  private static void installMissingCrds(KubernetesClient client) throws IOException {
    for (String name : CRDS) {
      if (client.apiextensions().v1().customResourceDefinitions().withName(name).get() != null) {
        continue;
      }
      try (InputStream yaml = OperatorMain.class.getResourceAsStream("/META-INF/fabric8/" + name + "-v1.yml")) {
        CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        client.apiextensions().v1().customResourceDefinitions().withName(name)
            .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions().stream()
                .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
                30, java.util.concurrent.TimeUnit.SECONDS);
        log.info("Installed CRD {}", name);
      }
    }
  }

  /** /healthz and /readyz for probes, /metrics in the Prometheus text format. */
  private static HttpServer startHttpServer(int port, PrometheusMeterRegistry registry) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    for (String path : List.of("/healthz", "/readyz")) {
      server.createContext(path, exchange -> respond(exchange, "ok\n"));
    }
    server.createContext("/metrics", exchange -> respond(exchange, registry.scrape()));
    server.start();
    return server;
  }

  private static void respond(HttpExchange exchange, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}
