package dev.drover.operator.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.drover.api.taskrun.TaskRunSpec;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The $(...) references templates and flows may use: {@code $(params.NAME)}, {@code $(item)},
 * {@code $(tasks.NAME.result)} and {@code $(dependsOn.results)}. Anything else in $(...) is left
 * alone, so a script's own command substitutions keep working.
 */
public final class References {
  public static final String ITEM = "item";
  public static final String DEPENDS_ON_RESULTS = "dependsOn.results";
  public static final String PARAMS = "params.";
  public static final String TASKS = "tasks.";
  public static final String RESULT = ".result";

  static final Pattern PATTERN =
      Pattern.compile(
          "\\$\\((params\\.[A-Za-z_][A-Za-z0-9_-]*|tasks\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?\\.result"
              + "|item|dependsOn\\.results)\\)");

  private static final ObjectMapper JSON = new ObjectMapper();

  private References() {}

  /** Matches one reference; group 1 is its key. */
  public static Pattern pattern() {
    return PATTERN;
  }

  /** The keys referred to in a text, e.g. {@code params.database} or {@code tasks.list.result}. */
  public static Set<String> in(String text) {
    Set<String> keys = new LinkedHashSet<>();
    if (text != null) {
      Matcher m = PATTERN.matcher(text);
      while (m.find()) {
        keys.add(m.group(1));
      }
    }
    return keys;
  }

  /** The keys referred to in any string of a spec. */
  public static Set<String> in(TaskRunSpec spec) {
    Set<String> keys = new LinkedHashSet<>();
    if (spec != null) {
      transformStrings(
          spec,
          (path, text) -> {
            keys.addAll(in(text));
            return text;
          });
    }
    return keys;
  }

  /** {@code tasks.list.result} → {@code list}; null for keys of another kind. */
  public static String taskOf(String key) {
    return key.startsWith(TASKS) && key.endsWith(RESULT)
        ? key.substring(TASKS.length(), key.length() - RESULT.length())
        : null;
  }

  /** {@code params.database} → {@code database}; null for keys of another kind. */
  public static String paramOf(String key) {
    return key.startsWith(PARAMS) ? key.substring(PARAMS.length()) : null;
  }

  /**
   * A copy of the spec with every string (map keys aside) replaced by what {@code change} makes of
   * it; {@code change} also gets the field's path, such as {@code script}, {@code args} or {@code
   * env.value}, array indexes left out.
   */
  public static TaskRunSpec transformStrings(
      TaskRunSpec spec, BiFunction<String, String, String> change) {
    JsonNode tree = JSON.valueToTree(spec);
    JsonNode changed = transform(tree, "", change);
    return JSON.convertValue(changed, TaskRunSpec.class);
  }

  private static JsonNode transform(
      JsonNode node, String path, BiFunction<String, String, String> change) {
    if (node.isTextual()) {
      return TextNode.valueOf(change.apply(path, node.asText()));
    }
    if (node.isArray()) {
      ArrayNode copy = JSON.createArrayNode();
      node.forEach(element -> copy.add(transform(element, path, change)));
      return copy;
    }
    if (node.isObject()) {
      ObjectNode copy = JSON.createObjectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String childPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        copy.set(field.getKey(), transform(field.getValue(), childPath, change));
      }
      return copy;
    }
    return node;
  }
}
