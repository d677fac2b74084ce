package dev.drover.console.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a route answers; a streamed answer has already been written and is only a marker. */
public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
  static final Response STREAMED = new Response(0, null, null, Map.of());

  /** The marker of an answer the route wrote itself (an event stream). */
  public static Response streamed() {
    return STREAMED;
  }

  public static Response json(int status, String json) {
    return new Response(
        status, "application/json", json.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
  }

  public static Response html(int status, String html) {
    return new Response(
        status,
        "text/html; charset=utf-8",
        html.getBytes(StandardCharsets.UTF_8),
        new LinkedHashMap<>());
  }

  /** A 303 to a page of the console itself, after a form was handled. */
  public static Response seeOther(String location) {
    Response response = new Response(303, "text/plain", new byte[0], new LinkedHashMap<>());
    response.headers().put("Location", location);
    return response;
  }

  public Response withHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }
}
