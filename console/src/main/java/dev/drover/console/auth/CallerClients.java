package dev.drover.console.auth;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.function.Function;

/**
 * Sends an action to the API server as the person who asked for it: a client with the caller's
 * bearer token and nothing else of the console's credentials, so the API server authorises the
 * person and its audit log names them. With authentication off the console's own client acts.
 */
public final class CallerClients {
  private final KubernetesClient console;

  public CallerClients(KubernetesClient console) {
    this.console = console;
  }

  public <T> T as(Caller caller, Function<KubernetesClient, T> action) {
    if (caller.isLocal()) {
      return action.apply(console);
    }
    try (KubernetesClient client =
        new KubernetesClientBuilder().withConfig(configFor(caller.token())).build()) {
      return action.apply(client);
    }
  }

  /**
   * Sends a JSON merge patch as the caller.
   *
   * @param namespace null for an object of no namespace (an Agent)
   */
  public <T extends HasMetadata> void mergePatch(
      Caller caller, Class<T> type, String namespace, String name, String patch) {
    as(
        caller,
        client -> {
          var resources = client.resources(type);
          return (namespace == null
                  ? resources.withName(name)
                  : resources.inNamespace(namespace).withName(name))
              .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        });
  }

  /**
   * Only where the API server is and how to trust it are taken from the console's configuration: no
   * client certificate, no token file that a refresh could fall back to.
   */
  Config configFor(String token) {
    Config base = console.getConfiguration();
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(base.getMasterUrl())
        .withCaCertFile(base.getCaCertFile())
        .withCaCertData(base.getCaCertData())
        .withTrustCerts(base.isTrustCerts())
        .withDisableHostnameVerification(base.isDisableHostnameVerification())
        .withHttpProxy(base.getHttpProxy())
        .withHttpsProxy(base.getHttpsProxy())
        .withNoProxy(base.getNoProxy())
        .withOauthToken(token)
        .withRequestTimeout(base.getRequestTimeout())
        .withConnectionTimeout(base.getConnectionTimeout())
        .build();
  }
}
