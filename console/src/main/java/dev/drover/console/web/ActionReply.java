package dev.drover.console.web;

import java.io.IOException;
import java.util.Map;

/**
 * How an action answers: a form posted from a page goes back to the page it names (always one of
 * the console's own), a script gets JSON.
 */
public final class ActionReply {
  private ActionReply() {}

  public static Response done(Request request, Map<String, ?> result) throws IOException {
    if (request.isForm()) {
      String back = request.form().getOrDefault("back", "/");
      return Response.seeOther(back.startsWith("/") && !back.startsWith("//") ? back : "/");
    }
    return Json.ok(result);
  }
}
