package dev.drover.console.query;

import dev.drover.console.web.HttpError;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;

/**
 * Where an object stands in a list: newest first, then by namespace and name. A page's continue
 * value is the key of its last item, so the next page starts after that item even when newer
 * objects arrived in between.
 */
public record SortKey(String created, String namespace, String name) {
  public static final Comparator<SortKey> ORDER =
      Comparator.comparing(SortKey::created)
          .reversed()
          .thenComparing(SortKey::namespace)
          .thenComparing(SortKey::name);

  public static SortKey of(HasMetadata object) {
    return new SortKey(
        orEmpty(object.getMetadata().getCreationTimestamp()),
        orEmpty(object.getMetadata().getNamespace()),
        orEmpty(object.getMetadata().getName()));
  }

  /** For lists in name order (agents). */
  public static SortKey byName(HasMetadata object) {
    return new SortKey("", "", orEmpty(object.getMetadata().getName()));
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }

  String encode() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(
            (created + "\n" + namespace + "\n" + name).getBytes(StandardCharsets.UTF_8));
  }

  static SortKey decode(String value) {
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8).split("\n", -1);
      if (parts.length == 3) {
        return new SortKey(parts[0], parts[1], parts[2]);
      }
    } catch (IllegalArgumentException notBase64) {
      // said below
    }
    throw HttpError.badRequest(
        "continue must be the value a previous page returned, got \"" + value + "\"");
  }
}
