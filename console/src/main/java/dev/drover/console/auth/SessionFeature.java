package dev.drover.console.auth;

import dev.drover.console.web.HttpError;
import dev.drover.console.web.Json;
import dev.drover.console.web.Layout;
import dev.drover.console.web.Request;
import dev.drover.console.web.Response;
import dev.drover.console.web.Routes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Logging in by pasting a token (checked by a TokenReview, then kept in an HttpOnly,
 * SameSite=Strict cookie that page scripts cannot read), logging out, and what the console knows of
 * the caller.
 */
public final class SessionFeature {
  /**
   * What bearer tokens are made of (JWTs and opaque tokens alike); anything else is a paste error.
   */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/=-]{8,8192}");

  private final Guard guard;
  private final Layout layout;
  private final boolean secureCookie;

  public SessionFeature(Guard guard, Layout layout, boolean secureCookie) {
    this.guard = guard;
    this.layout = layout;
    this.secureCookie = secureCookie;
  }

  public void register(Routes routes) {
    routes
        .open(
            "GET",
            "/login",
            request ->
                Response.html(
                    200,
                    layout.document(null, "Log in", "", "<h1>Log in</h1>" + Layout.loginForm())))
        .open("POST", "/login", this::login)
        // Open: an expired or revoked token must still be able to leave.
        .open(
            "POST",
            "/logout",
            request -> Response.seeOther("/login").withHeader("Set-Cookie", cookie("", 0)))
        .get("/api/v1/session", this::session);
  }

  private Response login(Request request) throws java.io.IOException {
    if (guard.isAuthenticationOff()) {
      return Response.seeOther("/");
    }
    String token = request.form().getOrDefault("token", "").trim();
    if (!TOKEN.matcher(token).matches()) {
      throw HttpError.unauthorized(
          "paste a bearer token: one line of letters, digits and . _ - ~ + / =");
    }
    guard.authenticate(token, true);
    return Response.seeOther("/").withHeader("Set-Cookie", cookie(token, -1));
  }

  /**
   * @param maxAge seconds; -1 for a cookie that ends with the browser session, 0 to remove it
   */
  private String cookie(String value, int maxAge) {
    return Guard.COOKIE
        + "="
        + value
        + "; Path=/; HttpOnly; SameSite=Strict"
        + (secureCookie ? "; Secure" : "")
        + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
  }

  private Response session(Request request) {
    Caller caller = request.caller();
    Map<String, Object> session = new LinkedHashMap<>();
    session.put("user", caller.user());
    session.put("groups", caller.groups());
    session.put("authentication", guard.isAuthenticationOff() ? "none" : "kubernetes");
    session.put("readOnly", guard.isReadOnly());
    session.put("csrfToken", guard.csrfToken(caller));
    return Json.ok(session);
  }
}
