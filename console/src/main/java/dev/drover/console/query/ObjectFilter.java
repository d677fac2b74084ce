package dev.drover.console.query;

import dev.drover.console.web.HttpError;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What every list takes: {@code namespace}, a label {@code selector} and free text {@code q} over
 * the name and a message. The caller's visible namespaces are applied first, always.
 */
public record ObjectFilter(String namespace, LabelMatch selector, String text) {
  private static final java.util.regex.Pattern NAMESPACE =
      java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /** Newest first, then by namespace and name: {@link SortKey#ORDER}. */
  public static final Comparator<HasMetadata> NEWEST_FIRST =
      Comparator.comparing(SortKey::of, SortKey.ORDER);

  public static ObjectFilter of(Map<String, String> query) {
    String namespace = blankToNull(query.get("namespace"));
    if (namespace != null && !NAMESPACE.matcher(namespace).matches()) {
      throw HttpError.badRequest("namespace \"" + namespace + "\" is not a namespace name");
    }
    String selector = blankToNull(query.get("selector"));
    String text = blankToNull(query.get("q"));
    return new ObjectFilter(
        namespace,
        selector == null ? LabelMatch.EVERYTHING : LabelMatch.parse(selector),
        text == null ? null : text.toLowerCase(Locale.ROOT));
  }

  public static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /**
   * The objects in namespaces the caller may see that match, newest first.
   *
   * @param message the text besides the name that {@code q} searches
   */
  public <T extends HasMetadata> Stream<T> apply(
      List<T> objects, Set<String> visibleNamespaces, Function<T, String> message) {
    return objects.stream()
        .filter(object -> visibleNamespaces.contains(object.getMetadata().getNamespace()))
        .filter(matching(message))
        .sorted(NEWEST_FIRST);
  }

  /** For objects of no namespace (agents), which the caller may see all of or none; in no order. */
  public <T extends HasMetadata> Stream<T> applyClusterScoped(
      List<T> objects, Function<T, String> message) {
    return objects.stream().filter(matching(message));
  }

  private <T extends HasMetadata> Predicate<T> matching(Function<T, String> message) {
    return object -> matches(object, message.apply(object));
  }

  private boolean matches(HasMetadata object, String message) {
    Map<String, String> labels =
        object.getMetadata().getLabels() == null ? Map.of() : object.getMetadata().getLabels();
    return (namespace == null || namespace.equals(object.getMetadata().getNamespace()))
        && selector.matches(labels)
        && (text == null
            || contains(object.getMetadata().getName(), text)
            || contains(message, text));
  }

  private static boolean contains(String haystack, String needle) {
    return haystack != null && haystack.toLowerCase(Locale.ROOT).contains(needle);
  }

  /** A value the query allows only from a fixed set: the phase filters. */
  public static <E extends Enum<E>> E oneOf(Map<String, String> query, String name, Class<E> type) {
    String value = blankToNull(query.get(name));
    if (value == null) {
      return null;
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(value)) {
        return constant;
      }
    }
    throw HttpError.badRequest(
        name
            + " must be one of "
            + String.join(", ", Stream.of(type.getEnumConstants()).map(Enum::name).toList())
            + ", got \""
            + value
            + "\"");
  }
}
