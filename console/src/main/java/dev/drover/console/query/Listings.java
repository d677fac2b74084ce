package dev.drover.console.query;

import dev.drover.console.auth.Guard;
import dev.drover.console.cluster.ClusterCache;
import dev.drover.console.query.Paging.Page;
import dev.drover.console.web.HttpError;
import dev.drover.console.web.Request;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/** Lists and single objects of a namespaced kind, as the caller may see them. */
public final class Listings {
  private Listings() {}

  /**
   * A page of the objects in namespaces where the caller may list {@code resource}, filtered by the
   * request's namespace, selector and text.
   */
  public static <T extends HasMetadata> Page<T> page(
      Request request, Guard guard, String resource, List<T> objects, Function<T, String> message) {
    return page(request, guard, resource, objects, message, object -> true);
  }

  /**
   * As {@link #page(Request, Guard, String, List, Function)}, keeping only what {@code also}
   * accepts too (a kind's own filters). Only the namespace asked for, when one is, needs a review.
   */
  public static <T extends HasMetadata> Page<T> page(
      Request request,
      Guard guard,
      String resource,
      List<T> objects,
      Function<T, String> message,
      Predicate<T> also) {
    ObjectFilter filter = ObjectFilter.of(request.queryParams());
    Paging paging = Paging.of(request.queryParams());
    Collection<String> candidates =
        filter.namespace() != null
            ? List.of(filter.namespace())
            : ClusterCache.namespacesOf(objects);
    return paging.of(
        filter
            .apply(
                objects, guard.visibleNamespaces(request.caller(), resource, candidates), message)
            .filter(also)
            .toList(),
        SortKey::of);
  }

  /**
   * The object the path names ({@code {ns}}, {@code {name}}), after checking the caller may get it;
   * 404 when it is not there.
   */
  public static <T> T one(
      Request request,
      Guard guard,
      String resource,
      BiFunction<String, String, Optional<T>> lookup) {
    String namespace = request.pathPart("ns");
    String name = request.pathPart("name");
    guard.require(request.caller(), "get", resource, namespace);
    return lookup
        .apply(namespace, name)
        .orElseThrow(
            () ->
                HttpError.notFound(
                    resource.substring(0, resource.length() - 1)
                        + " \""
                        + name
                        + "\" not found in namespace "
                        + namespace));
  }
}
