package dev.drover.console.web;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON as the API writes it: Kubernetes objects as the API server would, plus the console's own.
 */
public final class Json {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Json() {}

  public static String write(Object value) {
    return SERIALIZATION.asJson(value);
  }

  public static <T> T read(String json, Class<T> type) {
    try {
      return SERIALIZATION.unmarshal(json, type);
    } catch (RuntimeException e) {
      throw HttpError.badRequest("the body is not the JSON expected: " + e.getMessage());
    }
  }

  public static String error(int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("error", message);
    return write(body);
  }

  public static Response ok(Object value) {
    return Response.json(200, write(value));
  }
}
