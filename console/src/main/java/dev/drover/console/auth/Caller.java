package dev.drover.console.auth;

import java.util.List;
import java.util.Map;

/**
 * Who sent a request: the user a TokenReview named for its bearer token, or, with authentication
 * off, the console's own kubeconfig identity (no token).
 *
 * @param fromCookie whether the token came from the login cookie, which a browser sends by itself
 *     and so needs a CSRF token beside it on every change
 */
public record Caller(
    String user,
    String uid,
    List<String> groups,
    Map<String, List<String>> extra,
    String token,
    boolean fromCookie) {

  static final String LOCAL_USER = "the console's kubeconfig identity";

  static Caller local() {
    return new Caller(LOCAL_USER, null, List.of(), Map.of(), null, false);
  }

  /** Acts with the console's own credentials: authentication is off. */
  public boolean isLocal() {
    return token == null;
  }
}
