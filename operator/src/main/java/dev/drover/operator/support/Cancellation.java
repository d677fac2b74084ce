package dev.drover.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/** Asks a run or an execution to stop by setting its {@code spec.cancel}. */
public final class Cancellation {
  private static final String CANCEL = "{\"spec\":{\"cancel\":true}}";

  private Cancellation() {}

  /**
   * A merge patch of that one field, without a resourceVersion: whatever else changed since the
   * copy in hand was cached is kept, and a stale copy cannot make the request fail.
   */
  public static void request(KubernetesClient client, HasMetadata object) {
    client
        .resources(object.getClass())
        .inNamespace(object.getMetadata().getNamespace())
        .withName(object.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), CANCEL);
  }
}
