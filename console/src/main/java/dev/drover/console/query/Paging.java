package dev.drover.console.query;

import dev.drover.console.web.HttpError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A page of a list: {@code limit} items (1 to 500, 50 when not given) after the item a previous
 * page's {@code continue} names.
 *
 * @param after null for the first page
 */
public record Paging(int limit, SortKey after) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  /** A page of items with how many matched in all and where the next page starts (null: none). */
  public record Page<T>(List<T> items, int total, String next) {
    /** The API's list body: items, how many matched in all, and the next page's start. */
    public Map<String, Object> body() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("items", items);
      body.put("total", total);
      body.put("continue", next);
      return body;
    }
  }

  public static Paging of(Map<String, String> query) {
    String limitText = query.get("limit");
    int limit = DEFAULT_LIMIT;
    if (limitText != null && !limitText.isEmpty()) {
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        throw HttpError.badRequest("limit must be a whole number, got \"" + limitText + "\"");
      }
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw HttpError.badRequest("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
    String after = query.get("continue");
    return new Paging(limit, after == null || after.isEmpty() ? null : SortKey.decode(after));
  }

  /**
   * @param sorted in {@link SortKey#ORDER} of {@code keyOf}
   */
  public <T> Page<T> of(List<T> sorted, Function<T, SortKey> keyOf) {
    int from = 0;
    if (after != null) {
      while (from < sorted.size()
          && SortKey.ORDER.compare(keyOf.apply(sorted.get(from)), after) <= 0) {
        from++;
      }
    }
    int to = Math.min(from + limit, sorted.size());
    List<T> items = List.copyOf(sorted.subList(from, to));
    return new Page<>(
        items,
        sorted.size(),
        to < sorted.size() ? keyOf.apply(items.get(items.size() - 1)).encode() : null);
  }
}
