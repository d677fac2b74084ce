package dev.drover.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** Owner references: children go with their owner through the garbage collector, no finalizers. */
public final class Owners {
  private Owners() {}

  public static OwnerReference controlledBy(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /**
   * The children that belong to this very owner. Caches map children to owners by name, so after a
   * delete and re-create under the same name the old owner's children, not yet collected, would
   * otherwise be taken for the new one's.
   */
  public static <T extends HasMetadata> List<T> ownedBy(HasMetadata owner, Collection<T> children) {
    return children.stream().filter(c -> controls(owner, c)).toList();
  }

  /** Whether this very owner (by uid, not name) is the child's controller. */
  public static boolean controls(HasMetadata owner, HasMetadata child) {
    String uid = owner.getMetadata().getUid();
    return child.getMetadata().getOwnerReferences().stream()
        .anyMatch(r -> Boolean.TRUE.equals(r.getController()) && Objects.equals(r.getUid(), uid));
  }
}
