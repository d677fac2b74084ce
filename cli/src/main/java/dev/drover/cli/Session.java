package dev.drover.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Optional;

/** One connection to the cluster with the namespace and credentials the global options chose. */
public final class Session implements AutoCloseable {
  private final KubernetesClient client;
  private final Config config;
  private final String namespace;
  private final boolean allNamespaces;
  private final String token;

  private Session(
      KubernetesClient client,
      Config config,
      String namespace,
      boolean allNamespaces,
      String token) {
    this.client = client;
    this.config = config;
    this.namespace = namespace;
    this.allNamespaces = allNamespaces;
    this.token = token;
  }

  static Session open(
      Terminal terminal,
      Path kubeconfig,
      String context,
      String namespace,
      boolean allNamespaces,
      String token) {
    Config config =
        kubeconfig != null
            ? Config.fromKubeconfig(context, kubeconfig.toFile())
            : Config.autoConfigure(context);
    KubernetesClient client = terminal.connect().apply(config);
    String chosen = namespace;
    if (chosen == null || chosen.isBlank()) {
      chosen = client.getNamespace() == null ? "default" : client.getNamespace();
    }
    return new Session(client, config, chosen, allNamespaces, token);
  }

  public KubernetesClient client() {
    return client;
  }

  public String namespace() {
    return namespace;
  }

  public boolean allNamespaces() {
    return allNamespaces;
  }

  /**
   * The token agents check: --token, else DROVER_TOKEN, else the kubeconfig's own (a token, a token
   * file, or what an exec or auth provider plugin returned).
   */
  public Optional<String> bearerToken() {
    if (token != null && !token.isBlank()) {
      return Optional.of(token);
    }
    String fromEnvironment = System.getenv("DROVER_TOKEN");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return Optional.of(fromEnvironment);
    }
    String fromConfig = config.getAutoOAuthToken();
    if (fromConfig == null || fromConfig.isBlank()) {
      fromConfig = config.getOauthToken();
    }
    return Optional.ofNullable(fromConfig).filter(t -> !t.isBlank());
  }

  /** The API server's base URL, for requests the client has no method for (the pod proxy). */
  public String masterUrl() {
    String url = client.getMasterUrl().toString();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public void close() {
    client.close();
  }
}
