package dev.drover.console.web;

import static dev.drover.console.web.Html.esc;

import dev.drover.console.auth.Caller;
import dev.drover.console.auth.Guard;

/**
 * The frame of every page: navigation, who is logged in, what mode the console is in, and the main
 * part, which is all a live page fetches again when something it shows changes.
 */
public final class Layout {
  /** Sent by the page script when it wants the main part alone. */
  public static final String FRAGMENT_HEADER = "X-Console-Fragment";

  private static final String[][] NAVIGATION = {
    {"/", "Overview"},
    {"/runs", "Runs"},
    {"/agents", "Agents"},
    {"/schedules", "Schedules"},
    {"/flows", "Flows"},
    {"/tasks", "Tasks"}
  };

  private final Guard guard;

  public Layout(Guard guard) {
    this.guard = guard;
  }

  /**
   * @param liveKinds the kinds whose changes refresh the page, space separated ("" for none)
   */
  public Response page(Request request, String title, String liveKinds, String main) {
    if (request.header(FRAGMENT_HEADER).isPresent()) {
      return Response.html(200, main);
    }
    return Response.html(200, document(request.caller(), title, liveKinds, main));
  }

  public String document(Caller caller, String title, String liveKinds, String main) {
    StringBuilder out = new StringBuilder(main.length() + 2048);
    out.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>")
        .append(esc(title))
        .append(" · Drover</title>");
    if (caller != null) {
      out.append("<meta name=\"csrf-token\" content=\"")
          .append(esc(guard.csrfToken(caller)))
          .append("\">");
    }
    out.append("<link rel=\"stylesheet\" href=\"/static/console.css\">")
        .append("<script src=\"/static/console.js\" defer></script></head>")
        .append("<body data-live=\"")
        .append(esc(liveKinds))
        .append("\"><header><a class=\"brand\" href=\"/\">Drover</a><nav>");
    for (String[] item : NAVIGATION) {
      out.append(Html.link(item[0], item[1]));
    }
    out.append("</nav>");
    if (caller != null) {
      out.append("<span class=\"who\" id=\"who\">").append(esc(caller.user())).append("</span>");
      if (!caller.isLocal()) {
        out.append("<form method=\"post\" action=\"/logout\" class=\"inline\">")
            .append(csrfField(caller))
            .append("<button type=\"submit\" id=\"logout\">Log out</button></form>");
      }
    }
    out.append("</header>");
    if (guard.isAuthenticationOff()) {
      out.append(
          "<p class=\"banner warn\" id=\"auth-off\">Authentication is off (--auth none): anyone"
              + " on this machine acts as the console's kubeconfig identity.</p>");
    }
    if (guard.isReadOnly()) {
      out.append(
          "<p class=\"banner\" id=\"read-only\">Read-only console: actions are hidden and"
              + " refused.</p>");
    }
    return out.append("<main id=\"main\">").append(main).append("</main></body></html>").toString();
  }

  public String csrfField(Caller caller) {
    return "<input type=\"hidden\" name=\""
        + Guard.CSRF_FIELD
        + "\" value=\""
        + esc(guard.csrfToken(caller))
        + "\">";
  }

  /**
   * A button that posts to an action of the API and comes back to {@code back}; nothing in
   * read-only mode.
   */
  public String action(Caller caller, String path, String label, String back, String id) {
    if (guard.isReadOnly()) {
      return "";
    }
    return "<form method=\"post\" class=\"inline action\" action=\""
        + esc(path)
        + "\">"
        + csrfField(caller)
        + "<input type=\"hidden\" name=\"back\" value=\""
        + esc(back)
        + "\"><button type=\"submit\" id=\""
        + esc(id)
        + "\">"
        + esc(label)
        + "</button></form>";
  }

  /** The error as a page; a 401 brings the login form. */
  public Response error(Request request, HttpError error) {
    String main =
        "<h1>"
            + (error.status() == 401
                ? "Log in"
                : error.status() == 403 ? "Not allowed" : "Error " + error.status())
            + "</h1><p class=\"error\" id=\"error\">"
            + esc(error.getMessage())
            + "</p>"
            + (error.status() == 401 ? loginForm() : "");
    return Response.html(error.status(), document(null, "Error", "", main));
  }

  public static String loginForm() {
    return "<form method=\"post\" action=\"/login\" id=\"login\" class=\"card\">"
        + "<label for=\"token\">Kubernetes bearer token</label>"
        + "<textarea id=\"token\" name=\"token\" rows=\"4\" required autocomplete=\"off\""
        + " placeholder=\"kubectl create token NAME, or your OIDC ID token\"></textarea>"
        + "<button type=\"submit\" id=\"login-button\">Log in</button>"
        + "<p class=\"hint\">The token is checked with a TokenReview and kept in an HttpOnly"
        + " cookie; every page and action is authorised for you by the API server.</p></form>";
  }
}
