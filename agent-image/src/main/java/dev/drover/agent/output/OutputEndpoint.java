package dev.drover.agent.output;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.drover.agent.output.CallerCheck.Verdict;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/namespaces/{namespace}/executions/{name}/output}: an execution's whole output from
 * the store, from {@code offset} (negative: that many bytes before the end), followed while the
 * process runs with {@code follow=true}, each line dated with {@code timestamps=true}. Every
 * request must carry a token whose holder may get executions in the namespace.
 */
public final class OutputEndpoint implements HttpHandler {
  public static final String PATH = "/v1/";
  private static final Pattern ROUTE =
      Pattern.compile("/v1/namespaces/([^/]+)/executions/([^/]+)/output");
  private static final Duration FOLLOW_POLL = Duration.ofSeconds(1);
  private static final int CHUNK = 64 * 1024;

  private final OutputStore store;
  private final CallerCheck callers;

  public OutputEndpoint(OutputStore store, CallerCheck callers) {
    this.store = store;
    this.callers = callers;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET");
        JsonError.send(exchange, 405, exchange.getRequestMethod() + " is not supported; use GET");
        return;
      }
      Matcher route = ROUTE.matcher(exchange.getRequestURI().getPath());
      if (!route.matches()) {
        JsonError.send(
            exchange,
            404,
            "no such endpoint: output is at /v1/namespaces/{namespace}/executions/{name}/output");
        return;
      }
      String namespace = route.group(1);
      String name = route.group(2);
      if (!OutputStore.isName(namespace) || !OutputStore.isName(name)) {
        JsonError.send(exchange, 400, "namespace and execution must be Kubernetes object names");
        return;
      }
      Verdict verdict = callers.check(bearerToken(exchange), namespace);
      switch (verdict.outcome()) {
        case UNAUTHENTICATED -> {
          exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
          JsonError.send(exchange, 401, verdict.message());
        }
        case FORBIDDEN -> JsonError.send(exchange, 403, verdict.message());
        case UNAVAILABLE -> JsonError.send(exchange, 503, verdict.message());
        case ALLOWED -> serve(exchange, namespace, name);
      }
    }
  }

  private static String bearerToken(HttpExchange exchange) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    // The API server's pod proxy strips Authorization; callers through it send this instead.
    return exchange.getRequestHeaders().getFirst("X-Drover-Token");
  }

  private void serve(HttpExchange exchange, String namespace, String name) throws IOException {
    OutputQuery query;
    try {
      query = OutputQuery.parse(exchange.getRequestURI().getRawQuery());
    } catch (IllegalArgumentException e) {
      JsonError.send(exchange, 400, e.getMessage());
      return;
    }
    Optional<StoredOutput> found = store.find(namespace, name);
    if (found.isEmpty()) {
      JsonError.send(
          exchange, 404, "this agent holds no output of execution " + namespace + "/" + name);
      return;
    }
    StoredOutput output = found.get();
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange
        .getResponseHeaders()
        .set("X-Drover-Output-Complete", String.valueOf(output.complete()));
    if (output.truncated()) {
      exchange.getResponseHeaders().set("X-Drover-Output-Truncated", "true");
    }
    exchange.sendResponseHeaders(200, 0);
    try (FileChannel file = FileChannel.open(output.files().log(), StandardOpenOption.READ);
        LineTimes times = new LineTimes(output.files().index());
        OutputStream body = new BufferedOutputStream(exchange.getResponseBody(), CHUNK)) {
      long start = query.start(output.size());
      OutputStream sink =
          query.timestamps() ? new LineDater(times, start, startsLine(file, start), body) : body;
      copy(file, output, query.follow(), start, sink);
    } catch (NoSuchFileException removed) {
      // removed to make room between the lookup and the read: the response ends empty
    }
  }

  private static boolean startsLine(FileChannel file, long position) throws IOException {
    ByteBuffer previous = ByteBuffer.allocate(1);
    return position == 0 || (file.read(previous, position - 1) == 1 && previous.get(0) == '\n');
  }

  /** Sends the output from {@code position} on; when following, until the process has ended. */
  private static void copy(
      FileChannel file, StoredOutput output, boolean follow, long position, OutputStream body)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    while (true) {
      boolean ended = output.complete(); // read before the size: nothing comes after an end
      long size = output.size();
      while (position < size) {
        buffer.clear().limit((int) Math.min(CHUNK, size - position));
        int read = file.read(buffer, position);
        if (read <= 0) {
          break;
        }
        body.write(buffer.array(), 0, read);
        position += read;
      }
      body.flush();
      if (!follow || (ended && position >= size)) {
        return;
      }
      try {
        output.awaitGrowth(position, FOLLOW_POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (!Files.exists(output.files().log())) {
        return;
      }
    }
  }
}
