package dev.drover.runtime;

import java.util.List;
import java.util.stream.Collectors;

/** What a probe found: ok when there are no problems, failing otherwise. */
public record Health(List<String> problems) {
  private static final Health OK = new Health(List.of());

  public Health {
    problems = List.copyOf(problems);
  }

  public static Health ok() {
    return OK;
  }

  public static Health failing(String problem) {
    return new Health(List.of(problem));
  }

  public boolean isOk() {
    return problems.isEmpty();
  }

  /** {@code {"status":"ok"}}, or {@code {"status":"failing","problems":[...]}}. */
  public String json() {
    if (isOk()) {
      return "{\"status\":\"ok\"}";
    }
    return problems.stream()
        .map(Health::jsonString)
        .collect(Collectors.joining(",", "{\"status\":\"failing\",\"problems\":[", "]}"));
  }

  private static String jsonString(String text) {
    StringBuilder json = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"').toString();
  }
}
