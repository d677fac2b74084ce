package dev.drover.cli.support;

import dev.drover.cli.CliException;
import dev.drover.cli.Session;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/** The one-field changes that steer Drover, as JSON merge patches the API server authorises. */
public final class Patches {
  private Patches() {}

  public static <T extends HasMetadata> T mergeNamespaced(
      Session session, Class<T> type, String name, String json) {
    return patch(
        session.client().resources(type).inNamespace(session.namespace()).withName(name),
        json,
        HasMetadata.getKind(type).toLowerCase()
            + " \""
            + name
            + "\" in namespace "
            + session.namespace());
  }

  public static <T extends HasMetadata> T mergeCluster(
      Session session, Class<T> type, String name, String json) {
    return patch(
        session.client().resources(type).withName(name),
        json,
        HasMetadata.getKind(type).toLowerCase() + " \"" + name + "\"");
  }

  private static <T extends HasMetadata> T patch(Resource<T> resource, String json, String what) {
    try {
      return resource.patch(PatchContext.of(PatchType.JSON_MERGE), json);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        throw CliException.notFound(what);
      }
      throw e;
    }
  }
}
