package dev.drover.console.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** The console's own stylesheet, script and API document: served from the jar, no CDN. */
public final class Assets {
  private static final Map<String, String> TYPES =
      Map.of(
          "css", "text/css; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "json", "application/json",
          "svg", "image/svg+xml");

  private Assets() {}

  public static Handler serve(String resourceDirectory) {
    return request -> {
      String name = request.pathPart("name");
      if (!name.matches("[a-z0-9.-]+") || name.contains("..")) {
        throw HttpError.notFound("no such asset: " + name);
      }
      return resource(resourceDirectory + "/" + name);
    };
  }

  public static Response resource(String path) throws IOException {
    try (InputStream in = Assets.class.getResourceAsStream("/" + path)) {
      if (in == null) {
        throw HttpError.notFound("no such asset: " + path);
      }
      String extension = path.substring(path.lastIndexOf('.') + 1);
      return new Response(
          200,
          TYPES.getOrDefault(extension, "application/octet-stream"),
          in.readAllBytes(),
          new LinkedHashMap<>());
    }
  }
}
