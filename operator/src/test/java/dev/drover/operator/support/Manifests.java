package dev.drover.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Test objects written as the YAML a user would apply. */
public final class Manifests {
  private Manifests() {}

  /** Creates the object the YAML describes and returns it as the API server stored it. */
  public static <T extends HasMetadata> T create(
      KubernetesClient client, Class<T> type, String yaml) {
    return client.resource(client.getKubernetesSerialization().unmarshal(yaml, type)).create();
  }
}
