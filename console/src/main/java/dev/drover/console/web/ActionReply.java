package dev.drover.console.web;

import java.io.IOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How an action answers: a form posted from a page goes back to the page it names (always one of
 * the console's own), a script gets JSON.
 */
public final class ActionReply {
  /**
   * A path of this console: nothing a browser could read as another host (no second slash or
   * backslash at the start, no control characters).
   */
  private static final Pattern LOCAL_PATH = Pattern.compile("/(?![/\\\\])[A-Za-z0-9/_.?=&%:,+~-]*");

  private ActionReply() {}

  public static Response done(Request request, Map<String, ?> result) throws IOException {
    if (request.isForm()) {
      String back = request.form().getOrDefault("back", "/");
      return Response.seeOther(LOCAL_PATH.matcher(back).matches() ? back : "/");
    }
    return Json.ok(result);
  }
}
