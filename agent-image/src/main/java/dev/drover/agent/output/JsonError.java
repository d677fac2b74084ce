package dev.drover.agent.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;

/** An error answer: {@code {"error": "one sentence"}}. */
final class JsonError {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonError() {}

  static void send(HttpExchange exchange, int status, String sentence) throws IOException {
    byte[] body = JSON.writeValueAsBytes(Map.of("error", sentence));
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }
}
