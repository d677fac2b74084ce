package dev.drover.agent.output;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** The agent's flags about keeping output, refreshing it in status and serving it. */
public final class OutputOptions {
  private static final Logger log = LoggerFactory.getLogger(OutputOptions.class);

  enum Auth {
    kubernetes,
    none
  }

  @Option(
      names = "--output-dir",
      defaultValue = "${env:DROVER_OUTPUT_DIR}",
      description =
          "Directory of the whole output of each execution (env DROVER_OUTPUT_DIR; default"
              + " drover-agent-NAME/output under the temporary directory).")
  Path directory;

  @Option(
      names = "--output-max-bytes",
      defaultValue = "${env:DROVER_OUTPUT_MAX_BYTES:-104857600}",
      description =
          "Bytes of output kept per execution; the rest is counted, not kept (default"
              + " ${DEFAULT-VALUE}, 100 MiB).")
  long maxBytes;

  @Option(
      names = "--output-total-bytes",
      defaultValue = "${env:DROVER_OUTPUT_TOTAL_BYTES:-1073741824}",
      description =
          "Bytes of output kept in all; past it, finished executions' output goes, oldest first"
              + " (default ${DEFAULT-VALUE}, 1 GiB).")
  long totalBytes;

  @Option(
      names = "--output-auth",
      defaultValue = "${env:DROVER_OUTPUT_AUTH:-kubernetes}",
      description =
          "Who may read output over HTTP: kubernetes (a bearer token whose holder may get"
              + " taskexecutions in the namespace, checked with the API server) or none (anyone"
              + " who reaches the port; for a developer's machine only). Default ${DEFAULT-VALUE}.")
  Auth auth;

  @Option(
      names = "--progress-interval",
      defaultValue = "${env:DROVER_PROGRESS_INTERVAL_SECONDS:-5}",
      description =
          "Least seconds between two refreshes of a running execution's output tail in its status"
              + " (default ${DEFAULT-VALUE}).")
  int progressIntervalSeconds;

  /**
   * @throws IllegalArgumentException naming the flag whose value cannot work
   */
  public OutputSettings settings(String agentName) {
    return new OutputSettings(
        directory != null ? directory : OutputSettings.defaultDirectory(agentName),
        maxBytes,
        totalBytes,
        Duration.ofSeconds(progressIntervalSeconds));
  }

  public CallerCheck callerCheck(KubernetesClient client) {
    if (auth == Auth.none) {
      log.warn(
          "--output-auth none: anyone who reaches this agent's port reads every execution's"
              + " output");
      return CallerCheck.NONE;
    }
    return new KubernetesCallerCheck(client, Clock.systemUTC());
  }
}
