package dev.drover.console;

import dev.drover.runtime.HttpEndpoints;
import dev.drover.runtime.HttpPort;
import dev.drover.runtime.Lifecycle;
import dev.drover.runtime.ProcessCommand;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "drover-console",
    mixinStandardHelpOptions = true,
    version = "drover-console",
    description =
        "Serves the Drover console: pages and a JSON API over every run, agent, schedule and flow,"
            + " live, under the caller's Kubernetes RBAC. Uses KUBECONFIG or in-cluster config.")
public class ConsoleMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ConsoleMain.class);
  private static final int DEFAULT_PORT = 8090;

  /** How a caller proves who they are. */
  enum Authentication {
    kubernetes,
    none
  }

  @Option(
      names = HttpPort.FLAG,
      defaultValue = "${env:DROVER_CONSOLE_PORT}",
      description =
          "Port of the pages, the API, /healthz, /readyz and /metrics (env DROVER_CONSOLE_PORT);"
              + " default 8090, or a free port when 8090 is taken.")
  Integer port;

  @Option(
      names = "--auth",
      defaultValue = "${env:DROVER_CONSOLE_AUTH:-kubernetes}",
      description =
          "kubernetes (default): every request carries a bearer token, checked by TokenReview and"
              + " SubjectAccessReview. none: no login, everything is done as the kubeconfig's"
              + " identity, and the console answers on 127.0.0.1 only.")
  Authentication authentication;

  @Option(
      names = "--read-only",
      defaultValue = "${env:DROVER_CONSOLE_READ_ONLY:-false}",
      description = "Hide and refuse every action (cancel, retry, cordon...).")
  boolean readOnly;

  @Option(
      names = "--secure-cookie",
      defaultValue = "${env:DROVER_CONSOLE_SECURE_COOKIE:-false}",
      description = "Mark the login cookie Secure: set it when the console is reached over HTTPS.")
  boolean secureCookie;

  public static void main(String[] args) {
    System.exit(ProcessCommand.of(new ConsoleMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    boolean open = authentication == Authentication.none;
    HttpEndpoints endpoints =
        HttpEndpoints.bind(
            HttpPort.of(port, DEFAULT_PORT), open ? InetAddress.getLoopbackAddress() : null);
    KubernetesClient client = new KubernetesClientBuilder().build();
    DroverConsole console =
        DroverConsole.start(
            client, Clock.systemUTC(), open, readOnly, secureCookie, Duration.ofMinutes(2));
    console.serveOn(endpoints);
    log.info(
        "Drover console on port {} (authentication {}{})",
        endpoints.port(),
        authentication,
        readOnly ? ", read-only" : "");
    Lifecycle.runUntilShutdown(
        () -> {
          console.close();
          client.close();
        },
        endpoints);
    return 0;
  }
}
