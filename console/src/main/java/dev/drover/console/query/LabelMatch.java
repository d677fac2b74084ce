package dev.drover.console.query;

import dev.drover.console.web.HttpError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A label selector as kubectl takes it ({@code app=web,tier!=db,env in (a,b),!legacy,owner}),
 * judged against an object's labels in memory.
 */
public final class LabelMatch {
  private static final String KEY = "[A-Za-z0-9][-A-Za-z0-9_./]*";
  private static final Pattern SET =
      Pattern.compile("(" + KEY + ")\\s+(in|notin)\\s+\\(([^)]*)\\)");
  private static final Pattern EQUALITY =
      Pattern.compile("(" + KEY + ")\\s*(==|=|!=)\\s*([-A-Za-z0-9_.]*)");
  private static final Pattern EXISTS = Pattern.compile("(!?)(" + KEY + ")");

  private final List<Predicate<Map<String, String>>> requirements;

  private LabelMatch(List<Predicate<Map<String, String>>> requirements) {
    this.requirements = requirements;
  }

  public static final LabelMatch EVERYTHING = new LabelMatch(List.of());

  public static LabelMatch parse(String text) {
    List<Predicate<Map<String, String>>> requirements = new ArrayList<>();
    for (String requirement : splitOutsideParentheses(text)) {
      requirements.add(requirement(requirement.trim(), text));
    }
    return new LabelMatch(requirements);
  }

  public boolean matches(Map<String, String> labels) {
    return requirements.stream().allMatch(requirement -> requirement.test(labels));
  }

  private static Predicate<Map<String, String>> requirement(String requirement, String whole) {
    Matcher set = SET.matcher(requirement);
    if (set.matches()) {
      String key = set.group(1);
      Set<String> values =
          Arrays.stream(set.group(3).split(",")).map(String::trim).collect(Collectors.toSet());
      return set.group(2).equals("in")
          ? labels -> values.contains(labels.get(key))
          : labels -> !values.contains(labels.get(key));
    }
    Matcher equality = EQUALITY.matcher(requirement);
    if (equality.matches()) {
      String key = equality.group(1);
      String value = equality.group(3);
      return equality.group(2).equals("!=")
          ? labels -> !value.equals(labels.get(key))
          : labels -> value.equals(labels.get(key));
    }
    Matcher exists = EXISTS.matcher(requirement);
    if (exists.matches()) {
      String key = exists.group(2);
      return exists.group(1).isEmpty()
          ? labels -> labels.containsKey(key)
          : labels -> !labels.containsKey(key);
    }
    throw HttpError.badRequest(
        "selector \""
            + whole
            + "\" is not a label selector: use key=value, key!=value, key in (a,b), key notin"
            + " (a,b), key or !key, separated by commas");
  }

  private static List<String> splitOutsideParentheses(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }
}
