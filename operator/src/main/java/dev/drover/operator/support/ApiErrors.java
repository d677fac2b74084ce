package dev.drover.operator.support;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** What the API server said when it refused a request, in its own words. */
public final class ApiErrors {
  private ApiErrors() {}

  public static String message(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null
        ? e.getStatus().getMessage()
        : e.getMessage();
  }
}
