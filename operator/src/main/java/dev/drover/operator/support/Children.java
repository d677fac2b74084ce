package dev.drover.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/**
 * Creates the children an owner names after itself, so that a repeat finds its child there (409). A
 * name found taken is usually held by the owner's own child from an earlier pass; after a delete
 * and re-create of the owner, it can be held by the old owner's child until the garbage collector
 * removes it.
 */
public final class Children {
  /** Whose object holds a name that a create found taken. */
  public enum NameHolder {
    /** The owner's own child. */
    OWNER,
    /** Anything else, most often the leftover of a deleted owner of the same name. */
    ANOTHER,
    /** Nothing any more: the object went away meanwhile. */
    NOBODY
  }

  private Children() {}

  /** The created child, or empty when its name is already taken; other refusals are thrown. */
  public static <T extends HasMetadata> Optional<T> create(KubernetesClient client, T child) {
    try {
      return Optional.of(client.resource(child).create());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Reads the object that holds the child's name now and tells whose it is. */
  public static NameHolder holderOfName(
      KubernetesClient client, HasMetadata owner, HasMetadata child) {
    HasMetadata existing = client.resource(child).get();
    if (existing == null) {
      return NameHolder.NOBODY;
    }
    return Owners.controls(owner, existing) ? NameHolder.OWNER : NameHolder.ANOTHER;
  }
}
