package dev.drover.console.web;

import com.sun.net.httpserver.HttpExchange;
import dev.drover.console.auth.Caller;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/** One HTTP request as the console's routes see it: path parts, query, form, and its caller. */
public final class Request {
  private static final int MAX_BODY = 64 * 1024;

  private final HttpExchange exchange;
  private final Map<String, String> query;
  private Matcher path;
  private Caller caller;
  private Map<String, String> form;

  Request(HttpExchange exchange) {
    this.exchange = exchange;
    this.query = parsePairs(exchange.getRequestURI().getRawQuery());
  }

  void matched(Matcher path) {
    this.path = path;
  }

  void authenticated(Caller caller) {
    this.caller = caller;
  }

  public HttpExchange exchange() {
    return exchange;
  }

  public String method() {
    return exchange.getRequestMethod();
  }

  /** The request's path and query, as a page links back to itself. */
  public String uri() {
    return exchange.getRequestURI().toString();
  }

  public boolean isApi() {
    return exchange.getRequestURI().getPath().startsWith("/api/");
  }

  /** A named group of the route's path pattern. */
  public String pathPart(String name) {
    return URLDecoder.decode(path.group(name), StandardCharsets.UTF_8);
  }

  public Caller caller() {
    return caller;
  }

  public Optional<String> query(String name) {
    String value = query.get(name);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  public Map<String, String> queryParams() {
    return query;
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
  }

  public Optional<String> cookie(String name) {
    for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
      for (String pair : header.split(";")) {
        String[] parts = pair.trim().split("=", 2);
        if (parts.length == 2 && parts[0].equals(name) && !parts[1].isEmpty()) {
          return Optional.of(parts[1]);
        }
      }
    }
    return Optional.empty();
  }

  public boolean isForm() {
    return header("Content-Type")
        .map(type -> type.startsWith("application/x-www-form-urlencoded"))
        .orElse(false);
  }

  /** The fields of a form post; empty for any other body. */
  public Map<String, String> form() throws IOException {
    if (form == null) {
      form = isForm() ? parsePairs(body()) : Map.of();
    }
    return form;
  }

  /** The body as text, refused beyond 64 KiB: nothing the console takes is larger. */
  public String body() throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw new HttpError(413, "the request body is larger than 64 KiB");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private static Map<String, String> parsePairs(String raw) {
    Map<String, String> pairs = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return pairs;
    }
    for (String pair : raw.split("&")) {
      String[] parts = pair.split("=", 2);
      pairs.put(
          URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
          parts.length == 2 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
    }
    return pairs;
  }
}
