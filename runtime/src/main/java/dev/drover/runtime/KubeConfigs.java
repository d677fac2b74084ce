package dev.drover.runtime;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.utils.Utils;

/** How the operator and the agent configure their Kubernetes client. */
public final class KubeConfigs {
  private KubeConfigs() {}

  /**
   * The configuration found the usual way (kubeconfig, in-cluster service account), without
   * needless kubeconfig reads.
   */
  public static Config autoConfigured() {
    return adjusted(Config.autoConfigure(null));
  }

  /**
   * A configuration that authenticates by client certificate alone has no token to refresh, yet the
   * client, finding none, reads the kubeconfig again before every request once a minute has passed:
   * an empty token provider ends that.
   */
  static Config adjusted(Config config) {
    if (authenticatesByCertificateOnly(config)) {
      config.setOauthTokenProvider(() -> null);
    }
    return config;
  }

  private static boolean authenticatesByCertificateOnly(Config config) {
    boolean certificate =
        Utils.isNotNullOrEmpty(config.getClientCertData())
            || Utils.isNotNullOrEmpty(config.getClientCertFile());
    return certificate
        && config.getOauthTokenProvider() == null
        && Utils.isNullOrEmpty(config.getOauthToken())
        && Utils.isNullOrEmpty(config.getAutoOAuthToken())
        && Utils.isNullOrEmpty(config.getUsername())
        && config.getAuthProvider() == null;
  }
}
