package dev.drover.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * The HTTP endpoints both the operator and the agent serve: /healthz and /readyz for probes, and
 * /metrics in the Prometheus text format.
 */
public final class HttpEndpoints implements AutoCloseable {
  private final HttpServer server;

  private HttpEndpoints(HttpServer server) {
    this.server = server;
  }

  public static HttpEndpoints start(int port, Supplier<String> metrics) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    for (String path : List.of("/healthz", "/readyz")) {
      server.createContext(path, exchange -> respond(exchange, "ok\n"));
    }
    server.createContext("/metrics", exchange -> respond(exchange, metrics.get()));
    server.start();
    return new HttpEndpoints(server);
  }

  private static void respond(HttpExchange exchange, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
