package dev.drover.console.auth;

import dev.drover.console.web.HttpError;
import dev.drover.console.web.Request;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who a request comes from and what they may see and do. Every read is filtered by namespace with
 * the caller's own rights, so a person who may not list runs in a namespace learns nothing of them,
 * not even how many there are.
 */
public final class Guard {
  public static final String COOKIE = "drover_token";
  public static final String CSRF_HEADER = "X-CSRF-Token";
  public static final String CSRF_FIELD = "csrf";
  private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

  private final Authenticator authenticator;
  private final Access access;
  private final Csrf csrf;
  private final boolean authenticationOff;
  private final boolean readOnly;

  public Guard(
      Authenticator authenticator,
      Access access,
      Csrf csrf,
      boolean authenticationOff,
      boolean readOnly) {
    this.authenticator = authenticator;
    this.access = access;
    this.csrf = csrf;
    this.authenticationOff = authenticationOff;
    this.readOnly = readOnly;
  }

  /** With authentication off everyone is the console's own identity. */
  public static Guard authenticationOff(boolean readOnly) {
    return new Guard(
        (token, fromCookie) -> Optional.of(Caller.local()),
        Access.EVERYTHING,
        new Csrf(),
        true,
        readOnly);
  }

  public boolean isAuthenticationOff() {
    return authenticationOff;
  }

  public boolean isReadOnly() {
    return readOnly;
  }

  /** The caller of a request: its bearer token, else the login cookie's; 401 without either. */
  public Caller identify(Request request) {
    if (authenticationOff) {
      requireLocalHost(request);
      return Caller.local();
    }
    Optional<String> bearer =
        request
            .header("Authorization")
            .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
            .map(value -> value.substring(7).trim());
    Optional<String> cookie = request.cookie(COOKIE);
    String token = bearer.or(() -> cookie).orElse(null);
    if (token == null || token.isBlank()) {
      throw HttpError.unauthorized(
          "log in with a Kubernetes token (a ServiceAccount token or your OIDC ID token), or send"
              + " it as Authorization: Bearer");
    }
    return authenticate(token, bearer.isEmpty());
  }

  /**
   * Without authentication the console answers only requests addressed to this machine by name: a
   * page of another site that points its own host name at 127.0.0.1 (DNS rebinding) would otherwise
   * read everything the kubeconfig may.
   */
  private static void requireLocalHost(Request request) {
    String host = request.header("Host").orElse("").replaceFirst(":[0-9]+$", "");
    if (!LOCAL_HOSTS.contains(host.toLowerCase(java.util.Locale.ROOT))) {
      throw HttpError.forbidden(
          "without authentication (--auth none) the console answers only requests to localhost or"
              + " 127.0.0.1, not to \""
              + host
              + "\"");
    }
  }

  /** Checks a token pasted at login. */
  public Caller authenticate(String token, boolean fromCookie) {
    try {
      return authenticator
          .authenticate(token, fromCookie)
          .orElseThrow(
              () ->
                  HttpError.unauthorized(
                      "the API server does not accept this token (expired, or not one of this"
                          + " cluster's)"));
    } catch (KubernetesClientException e) {
      throw new HttpError(503, "cannot check the token with the API server: " + e.getMessage());
    }
  }

  public boolean allows(Caller caller, String verb, String resource, String namespace) {
    try {
      return access.allows(caller, verb, resource, namespace);
    } catch (KubernetesClientException e) {
      throw new HttpError(503, "cannot ask the API server what you may do: " + e.getMessage());
    }
  }

  /** Refuses with 403, naming what is missing, unless the caller may. */
  public void require(Caller caller, String verb, String resource, String namespace) {
    if (!allows(caller, verb, resource, namespace)) {
      throw HttpError.forbidden(
          caller.user()
              + " may not "
              + verb
              + " "
              + resource
              + (namespace.isEmpty() ? "" : " in namespace " + namespace));
    }
  }

  /**
   * Of the namespaces that hold objects, those whose {@code resource} the caller may list: all of
   * them when the caller may list it in every namespace.
   */
  public Set<String> visibleNamespaces(
      Caller caller, String resource, Collection<String> namespaces) {
    if (allows(caller, "list", resource, "")) {
      return new TreeSet<>(namespaces);
    }
    Set<String> visible = new TreeSet<>();
    for (String namespace : namespaces) {
      if (allows(caller, "list", resource, namespace)) {
        visible.add(namespace);
      }
    }
    return visible;
  }

  public String csrfToken(Caller caller) {
    return csrf.tokenFor(caller);
  }

  /**
   * A change is refused in read-only mode, and, when the browser could have sent it on its own (the
   * login cookie, or no authentication at all), without this caller's CSRF token.
   */
  public void checkChange(Request request) throws IOException {
    if (readOnly) {
      throw HttpError.forbidden("the console is read-only (--read-only): it makes no changes");
    }
    Caller caller = request.caller();
    if (caller.fromCookie() || caller.isLocal()) {
      String presented = request.header(CSRF_HEADER).orElseGet(() -> formField(request));
      if (!csrf.matches(caller, presented)) {
        throw HttpError.forbidden(
            "missing or stale CSRF token: reload the page and try again (scripts send the token"
                + " as Authorization: Bearer instead of the cookie)");
      }
    }
  }

  private static String formField(Request request) {
    try {
      return request.form().get(CSRF_FIELD);
    } catch (IOException e) {
      return null;
    }
  }
}
