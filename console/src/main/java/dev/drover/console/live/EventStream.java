package dev.drover.console.live;

import dev.drover.console.auth.Caller;
import dev.drover.console.auth.Guard;
import dev.drover.console.cluster.Change;
import dev.drover.console.cluster.ClusterCache;
import dev.drover.console.web.Handler;
import dev.drover.console.web.HttpError;
import dev.drover.console.web.Json;
import dev.drover.console.web.Request;
import dev.drover.console.web.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Server-sent events of every change the caller may see, fed by the informers: open pages refresh
 * on them and scripts can follow them. A caller hears of an object only if they may list its kind
 * in its namespace. A client too slow to keep up with a burst is told to reload, once, and the
 * stream ends, rather than the console holding an unbounded queue for it; so does one whose token
 * the API server no longer accepts.
 */
public final class EventStream implements Handler {
  /** The resource a caller must be allowed to list to hear of a kind. */
  public static final Map<String, String> RESOURCES =
      Map.of(
          "TaskRun", "taskruns",
          "TaskExecution", "taskexecutions",
          "Agent", "agents",
          "ScheduledTask", "scheduledtasks",
          "TaskFlow", "taskflows",
          "Task", "tasks");

  private static final int QUEUE_LIMIT = 10_000;
  private static final long KEEP_ALIVE_SECONDS = 15;

  private final ClusterCache cache;
  private final Guard guard;

  public EventStream(ClusterCache cache, Guard guard) {
    this.cache = cache;
    this.guard = guard;
  }

  @Override
  public Response handle(Request request) throws IOException, InterruptedException {
    Set<String> kinds = kinds(request);
    Caller caller = request.caller();
    BlockingQueue<Change> queue = new LinkedBlockingQueue<>(QUEUE_LIMIT);
    Change overflow = new Change("OVERFLOW", "", "", "", null);
    Consumer<Change> listener =
        change -> {
          if (kinds.contains(change.kind()) && !queue.offer(change)) {
            queue.clear();
            queue.offer(overflow);
          }
        };
    var exchange = request.exchange();
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    cache.onChange(listener);
    try {
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      send(out, ": connected\n\n");
      while (true) {
        Change change = queue.poll(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
        if (change == null) {
          if (!stillValid(caller)) {
            send(out, "event: reload\ndata: {}\n\n");
            break;
          }
          send(out, ": keep-alive\n\n");
        } else if (change == overflow) {
          send(out, "event: reload\ndata: {}\n\n");
          break;
        } else if (visible(caller, change)) {
          send(out, "event: change\ndata: " + Json.write(describe(change)) + "\n\n");
        }
      }
    } catch (IOException gone) {
      // The client went away: nothing to answer.
    } catch (HttpError unavailable) {
      // The API server could not be asked who may see a change: the stream ends, and the page's
      // reconnection asks again.
    } finally {
      cache.removeListener(listener);
      exchange.close();
    }
    return Response.streamed();
  }

  private static Set<String> kinds(Request request) {
    Set<String> kinds =
        request
            .query("kinds")
            .map(
                text ->
                    Arrays.stream(text.split(",")).map(String::trim).collect(Collectors.toSet()))
            .orElse(RESOURCES.keySet());
    for (String kind : kinds) {
      if (!RESOURCES.containsKey(kind)) {
        throw HttpError.badRequest(
            "kinds takes a comma-separated list of "
                + String.join(", ", RESOURCES.keySet())
                + "; got \""
                + kind
                + "\"");
      }
    }
    return kinds;
  }

  /**
   * A token that expired, or was revoked, ends the stream at the next keep-alive; the page then
   * reloads and asks its holder to log in again.
   */
  private boolean stillValid(Caller caller) {
    if (caller.isLocal()) {
      return true;
    }
    try {
      guard.authenticate(caller.token(), caller.fromCookie());
      return true;
    } catch (HttpError rejected) {
      return rejected.status() != 401;
    }
  }

  private boolean visible(Caller caller, Change change) {
    String resource = RESOURCES.get(change.kind());
    return guard.allows(caller, "list", resource, "")
        || (!change.namespace().isEmpty()
            && guard.allows(caller, "list", resource, change.namespace()));
  }

  private static Map<String, Object> describe(Change change) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("type", change.type());
    data.put("kind", change.kind());
    if (!change.namespace().isEmpty()) {
      data.put("namespace", change.namespace());
    }
    data.put("name", change.name());
    if (change.phase() != null) {
      data.put("phase", change.phase());
    }
    return data;
  }

  private static void send(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
