package dev.drover.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoints both the operator and the agent serve: /healthz (liveness) and /readyz
 * (readiness) for probes, answering 200 or 503 with a short JSON body, and /metrics in the
 * Prometheus text format.
 */
public final class HttpEndpoints implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpEndpoints.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String JSON = "application/json";

  /** Null when the port is 0: the endpoints are off. */
  private final HttpServer server;

  private HttpEndpoints(HttpServer server) {
    this.server = server;
  }

  /**
   * Takes the port, before the process does anything else, so that a clash is the first and only
   * thing it says. A taken default port gives way to a free one, said in one log line.
   *
   * @throws PortInUseException when the chosen port is taken
   */
  public static HttpEndpoints bind(HttpPort port) throws IOException {
    return bind(port, null);
  }

  /**
   * As {@link #bind(HttpPort)}, on one local address only: a process with no authentication of its
   * own answers this machine alone ({@code InetAddress.getLoopbackAddress()}).
   *
   * @param address null for every address of the machine
   */
  public static HttpEndpoints bind(HttpPort port, InetAddress address) throws IOException {
    return new HttpEndpoints(port.disabled() ? null : bindServer(port, address));
  }

  /**
   * Adds an endpoint of the process's own beside the probes and metrics; call before {@link
   * #serve}. Requests run on threads of their own, so a long one (a followed stream) holds up no
   * probe.
   */
  public HttpEndpoints route(String path, HttpHandler handler) {
    if (server != null) {
      server.createContext(path, handler);
    }
    return this;
  }

  /** Starts answering, once the process knows how to judge its health. */
  public HttpEndpoints serve(
      HealthCheck liveness, HealthCheck readiness, Supplier<String> metrics) {
    if (server != null) {
      server.createContext("/healthz", exchange -> respond(exchange, liveness.check()));
      server.createContext("/readyz", exchange -> respond(exchange, readiness.check()));
      server.createContext(
          "/metrics", exchange -> respond(exchange, 200, PROMETHEUS_TEXT, metrics.get()));
      server.setExecutor(
          Executors.newCachedThreadPool(
              task -> {
                Thread thread = new Thread(task, "http");
                thread.setDaemon(true);
                return thread;
              }));
      server.start();
    }
    return this;
  }

  private static HttpServer bindServer(HttpPort port, InetAddress address) throws IOException {
    // Without TCP_NODELAY a small answer written as headers then body waits for the client's
    // delayed ACK: about 40 ms added to every request.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    try {
      return HttpServer.create(new InetSocketAddress(address, port.number()), 0);
    } catch (BindException e) {
      if (port.chosen()) {
        throw new PortInUseException(port.number(), e);
      }
      HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 0);
      log.info(
          "Port {} is in use; serving /healthz, /readyz and /metrics on port {} instead (choose"
              + " one with {})",
          port.number(),
          server.getAddress().getPort(),
          HttpPort.FLAG);
      return server;
    }
  }

  /** The port served on: the one asked for, or the free one that replaced a taken default. */
  public int port() {
    return server == null ? 0 : server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, Health health) throws IOException {
    respond(exchange, health.isOk() ? 200 : 503, JSON, health.json() + "\n");
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String text)
      throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
  }
}
