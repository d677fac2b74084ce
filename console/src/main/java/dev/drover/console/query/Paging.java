package dev.drover.console.query;

import dev.drover.console.web.HttpError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A page of a list: {@code limit} items (1 to 500, 50 when not given) from the position a previous
 * page's {@code continue} names.
 */
public record Paging(int limit, int offset) {
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
    int limit = number(query, "limit", DEFAULT_LIMIT);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw HttpError.badRequest("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
    int offset = number(query, "continue", 0);
    if (offset < 0) {
      throw HttpError.badRequest("continue must be a value a previous page returned");
    }
    return new Paging(limit, offset);
  }

  private static int number(Map<String, String> query, String name, int byDefault) {
    String text = query.get(name);
    if (text == null || text.isEmpty()) {
      return byDefault;
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw HttpError.badRequest(name + " must be a whole number, got \"" + text + "\"");
    }
  }

  public <T> Page<T> of(List<T> sorted) {
    int from = Math.min(offset, sorted.size());
    int to = Math.min(from + limit, sorted.size());
    return new Page<>(
        List.copyOf(sorted.subList(from, to)),
        sorted.size(),
        to < sorted.size() ? Integer.toString(to) : null);
  }
}
