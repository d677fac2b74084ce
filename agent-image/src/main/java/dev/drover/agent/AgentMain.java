package dev.drover.agent;

import dev.drover.agent.output.OutputEndpoint;
import dev.drover.agent.output.OutputOptions;
import dev.drover.agent.output.OutputStore;
import dev.drover.agent.registration.AgentContact;
import dev.drover.runtime.Health;
import dev.drover.runtime.HttpEndpoints;
import dev.drover.runtime.HttpPort;
import dev.drover.runtime.Lifecycle;
import dev.drover.runtime.ProcessCommand;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "drover-agent",
    mixinStandardHelpOptions = true,
    versionProvider = AgentMain.Version.class,
    description =
        "Runs the Drover TaskExecutions dispatched to this host. Uses KUBECONFIG or in-cluster"
            + " config.")
public class AgentMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(AgentMain.class);

  private static final int DEFAULT_PORT = 8081;

  @Spec CommandSpec spec;

  @Option(
      names = "--name",
      defaultValue = "${env:DROVER_AGENT_NAME}",
      description =
          "Agent name (env DROVER_AGENT_NAME); defaults to the node name, then the host name.")
  String name;

  @Option(
      names = "--labels",
      split = ",",
      defaultValue = "${env:DROVER_AGENT_LABELS}",
      description = "Routing labels k=v,k2=v2 (env DROVER_AGENT_LABELS).")
  Map<String, String> labels = new HashMap<>();

  @Option(
      names = "--namespaces",
      split = ",",
      required = true,
      defaultValue = "${env:DROVER_AGENT_NAMESPACES}",
      description =
          "Namespaces whose executions this agent runs, an explicit allow-list (env"
              + " DROVER_AGENT_NAMESPACES).")
  List<String> namespaces;

  @Option(
      names = "--capacity",
      defaultValue = "${env:DROVER_AGENT_CAPACITY:-4}",
      description =
          "Executions run at once; more wait as Queued (env DROVER_AGENT_CAPACITY, default"
              + " ${DEFAULT-VALUE}).")
  int capacity;

  @Option(
      names = "--node-name",
      defaultValue = "${env:DROVER_NODE_NAME}",
      description =
          "In a pod: the node, whose labels the agent adds to its own (env DROVER_NODE_NAME).")
  String nodeName;

  @Option(
      names = "--output-tail-bytes",
      defaultValue = "${env:DROVER_OUTPUT_TAIL_BYTES:-4096}",
      description = "Bytes of output kept per execution (default ${DEFAULT-VALUE}).")
  int outputTailBytes;

  @Mixin OutputOptions output;

  @Option(
      names = "--advertise-address",
      defaultValue = "${env:DROVER_ADVERTISE_ADDRESS}",
      description =
          "Host name or IP under which callers reach this agent's port, published in its status"
              + " (env DROVER_ADVERTISE_ADDRESS; default this host's name).")
  String advertiseAddress;

  @Option(
      names = "--lease-namespace",
      defaultValue = "${env:DROVER_LEASE_NAMESPACE:-drover-system}",
      description = "Namespace of the agent's Lease (default ${DEFAULT-VALUE}).")
  String leaseNamespace;

  @Option(
      names = "--lease-duration",
      defaultValue = "${env:DROVER_LEASE_DURATION_SECONDS:-40}",
      description =
          "Seconds without renewal after which the agent counts as NotReady (default"
              + " ${DEFAULT-VALUE}).")
  int leaseDurationSeconds;

  @Option(
      names = "--fence-after",
      defaultValue = "${env:DROVER_FENCE_AFTER_SECONDS}",
      description =
          "Seconds without a Lease renewal after which the agent stops its running work, reports it"
              + " Lost and takes no new work until it renews again (env"
              + " DROVER_FENCE_AFTER_SECONDS); at most, and by default, the lease duration.")
  Integer fenceAfterSeconds;

  @Option(
      names = "--shutdown-grace",
      defaultValue = "${env:DROVER_SHUTDOWN_GRACE_SECONDS:-30}",
      description =
          "Seconds running work may take to finish on shutdown before it is stopped (default"
              + " ${DEFAULT-VALUE}).")
  int shutdownGraceSeconds;

  @Option(
      names = HttpPort.FLAG,
      defaultValue = "${env:DROVER_AGENT_PORT}",
      description =
          "Port of /healthz, /readyz and /metrics (env DROVER_AGENT_PORT); 0 turns them off."
              + " Without it: 8081, or a free port when 8081 is taken.")
  Integer port;

  @Option(
      names = "--simulate",
      description =
          "Run this many complete agents in this process, named NAME-1 ... NAME-N, for benchmarks"
              + " and tests: each registers, renews its own Lease, watches its own executions and"
              + " runs their commands; they share this process's client, threads, port and output"
              + " directory, and only the first one's metrics are exported.")
  Integer simulate;

  public static void main(String[] args) {
    System.exit(ProcessCommand.of(new AgentMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String agentName = firstNonBlank(name, nodeName, hostname());
    List<String> agentNames = agentNames(agentName);
    // Flags are judged before the port is taken or the API server asked, so that a wrong value is
    // the one thing the agent says.
    OutputStore outputs =
        asUsageError(() -> new OutputStore(output.settings(agentName), Clock.systemUTC()));
    HttpEndpoints endpoints = HttpEndpoints.bind(HttpPort.of(port, DEFAULT_PORT));
    try (KubernetesClient client = AgentFleet.newClient();
        AgentFleet fleet = new AgentFleet(agentNames, client)) {
      Map<String, String> allLabels = new HashMap<>();
      if (nodeName != null && !nodeName.isBlank()) {
        Node node = client.nodes().withName(nodeName).get();
        if (node != null && node.getMetadata().getLabels() != null) {
          allLabels.putAll(node.getMetadata().getLabels());
        }
      }
      allLabels.putAll(labels);
      AgentSettings settings =
          asUsageError(
              () ->
                  new AgentSettings(
                      agentName,
                      allLabels,
                      namespaces,
                      capacity,
                      outputTailBytes,
                      leaseNamespace,
                      Duration.ofSeconds(leaseDurationSeconds),
                      Duration.ofSeconds(
                          fenceAfterSeconds == null ? leaseDurationSeconds : fenceAfterSeconds),
                      Duration.ofSeconds(shutdownGraceSeconds),
                      hostname(),
                      Version.current()));
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      new JvmMemoryMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      AgentContact contact =
          AgentContact.of(
              firstNonBlank(advertiseAddress, hostname()),
              endpoints.port(),
              System.getenv("POD_NAME"),
              System.getenv("POD_NAMESPACE"));
      endpoints
          .route(OutputEndpoint.PATH, new OutputEndpoint(outputs, output.callerCheck(client)))
          .serve(Health::ok, fleet::readiness, registry::scrape);
      fleet.start(
          (agentClient, name) ->
              new DroverAgent(
                  agentClient,
                  settings.named(name),
                  outputs,
                  contact,
                  Clock.systemUTC(),
                  name.equals(agentNames.get(0)) ? registry : new SimpleMeterRegistry()));
      Lifecycle.runUntilShutdown(fleet::stop, endpoints);
    }
    return 0;
  }

  /** The agent's own name, or with --simulate N the names NAME-1 ... NAME-N. */
  private List<String> agentNames(String agentName) {
    if (simulate == null) {
      return List.of(agentName);
    }
    if (simulate < 1) {
      throw new ParameterException(
          spec.commandLine(), "--simulate takes a number of agents from 1 up, got " + simulate);
    }
    return IntStream.rangeClosed(1, simulate).mapToObj(i -> agentName + "-" + i).toList();
  }

  /** Turns a flag value the settings refuse into a usage error: its sentence, no stack trace. */
  private <T> T asUsageError(Supplier<T> settings) {
    try {
      return settings.get();
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private static String firstNonBlank(String... candidates) {
    for (String candidate : candidates) {
      if (candidate != null && !candidate.isBlank()) {
        return candidate;
      }
    }
    throw new IllegalArgumentException("no agent name: pass --name");
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return System.getenv().getOrDefault("HOSTNAME", "unknown-host");
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    static String current() {
      String version = AgentMain.class.getPackage().getImplementationVersion();
      return version == null ? "dev" : version;
    }

    @Override
    public String[] getVersion() {
      return new String[] {"drover-agent " + current()};
    }
  }
}
