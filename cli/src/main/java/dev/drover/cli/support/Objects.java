package dev.drover.cli.support;

import dev.drover.cli.CliException;
import dev.drover.cli.Session;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** Reading one named object of the session's namespace, or saying plainly that it is not there. */
public final class Objects {
  private Objects() {}

  public static <T extends HasMetadata> T get(Session session, Class<T> type, String name) {
    T found =
        session.client().resources(type).inNamespace(session.namespace()).withName(name).get();
    if (found == null) {
      throw CliException.notFound(
          HasMetadata.getKind(type).toLowerCase()
              + " \""
              + name
              + "\" in namespace "
              + session.namespace());
    }
    return found;
  }
}
