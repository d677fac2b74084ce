package dev.drover.console.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.drover.console.auth.Guard;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's routes: each a method and a path pattern with named groups. Every route but the
 * open ones (login, logout, assets) first learns who calls; every POST is refused from another
 * site, and every POST but login and logout passes the read-only and CSRF checks. Errors become a
 * JSON body under /api/ and a page elsewhere.
 */
public final class Routes implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(Routes.class);

  /** Renders an error as a page for a browser. */
  public interface ErrorPage {
    Response render(Request request, HttpError error);
  }

  private record Route(
      String method, String template, Pattern path, boolean open, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();
  private final Guard guard;
  private final MeterRegistry registry;
  private ErrorPage errorPage =
      (request, error) -> Response.html(error.status(), Html.esc(error.getMessage()));

  public Routes(Guard guard, MeterRegistry registry) {
    this.guard = guard;
    this.registry = registry;
  }

  public Routes errorPage(ErrorPage page) {
    errorPage = page;
    return this;
  }

  /** A route for callers; {@code {name}} in the template matches one path segment. */
  public Routes get(String template, Handler handler) {
    return add("GET", template, false, handler);
  }

  public Routes post(String template, Handler handler) {
    return add("POST", template, false, handler);
  }

  /** A route anyone may call: the login page and static assets. */
  public Routes open(String method, String template, Handler handler) {
    return add(method, template, true, handler);
  }

  private Routes add(String method, String template, boolean open, Handler handler) {
    String regex = template.replaceAll("\\{([a-z]+)\\}", "(?<$1>[^/]+)");
    routes.add(new Route(method, template, Pattern.compile(regex), open, handler));
    return this;
  }

  /** Every route as "METHOD template", in the order added: what the API document must cover. */
  public List<String> list() {
    return routes.stream().map(route -> route.method() + " " + route.template()).toList();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Request request = new Request(exchange);
    long started = System.nanoTime();
    String template = "unmatched";
    Response response;
    try {
      Route route = match(request);
      template = route.template();
      response = answer(route, request);
    } catch (HttpError error) {
      response = error(request, error);
    } catch (KubernetesClientException e) {
      response = error(request, fromApiServer(e));
    } catch (Exception e) {
      log.warn("{} {} failed", request.method(), request.uri(), e);
      response =
          error(
              request, new HttpError(500, "the console failed on this request; its log says why"));
    }
    if (response != Response.STREAMED) {
      write(exchange, response);
    }
    Timer.builder("drover.console.requests")
        .description("Requests the console answered, by route and status")
        .tag("route", template)
        .tag("method", request.method())
        .tag("status", Integer.toString(response == Response.STREAMED ? 200 : response.status()))
        .register(registry)
        .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  private Route match(Request request) {
    String path = request.exchange().getRequestURI().getRawPath();
    for (Route route : routes) {
      Matcher matcher = route.path().matcher(path);
      if (matcher.matches() && route.method().equals(request.method())) {
        request.matched(matcher);
        return route;
      }
    }
    if (!allowedMethods(path).isEmpty()) {
      throw new HttpError(405, request.method() + " is not allowed on " + path);
    }
    throw HttpError.notFound("no such page or endpoint: " + path);
  }

  /** The methods some route answers on this path, as an Allow header lists them. */
  private String allowedMethods(String path) {
    return routes.stream()
        .filter(route -> route.path().matcher(path).matches())
        .map(Route::method)
        .distinct()
        .collect(java.util.stream.Collectors.joining(", "));
  }

  private Response answer(Route route, Request request) throws Exception {
    if (route.method().equals("POST")) {
      checkOrigin(request);
    }
    if (!route.open()) {
      request.authenticated(guard.identify(request));
      if (route.method().equals("POST")) {
        guard.checkChange(request);
      }
    }
    return route.handler().handle(request);
  }

  /**
   * A browser names the page a POST comes from; one from another site, or from an opaque origin
   * ("null": a sandboxed frame), is refused before anything else, the login form included (so no
   * one can log a visitor in as themselves).
   */
  private static void checkOrigin(Request request) {
    request
        .header("Origin")
        .ifPresent(
            origin -> {
              String host = request.header("Host").orElse("");
              String originHost = origin.replaceFirst("^[a-z]+://", "");
              if (!originHost.equals(host)) {
                throw HttpError.forbidden(
                    "a request from " + origin + " may not change anything here");
              }
            });
  }

  /** What the API server refused stays refused, with its status and reason. */
  private static HttpError fromApiServer(KubernetesClientException e) {
    int code = e.getCode();
    String message =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : e.getMessage();
    if (code == 400
        || code == 401
        || code == 403
        || code == 404
        || code == 409
        || code == 422
        || code == 429) {
      return new HttpError(code, "the API server says: " + message);
    }
    return new HttpError(502, "the API server could not be reached or failed: " + message);
  }

  private Response error(Request request, HttpError error) {
    Response response =
        request.isApi()
            ? Response.json(error.status(), Json.error(error.status(), error.getMessage()))
            : errorPage.render(request, error);
    if (error.status() == 401) {
      response.withHeader("WWW-Authenticate", "Bearer");
    }
    if (error.status() == 405) {
      response.withHeader("Allow", allowedMethods(request.exchange().getRequestURI().getRawPath()));
    }
    return response;
  }

  private static void write(HttpExchange exchange, Response response) throws IOException {
    response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    exchange.getResponseHeaders().set("Content-Type", response.contentType());
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
    exchange
        .getResponseHeaders()
        .set(
            "Content-Security-Policy",
            "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:;"
                + " frame-ancestors 'none'");
    byte[] body = response.body();
    exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
    exchange.close();
  }
}
