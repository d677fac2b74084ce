package dev.drover.operator.task;

import dev.drover.api.EnvEntry;
import dev.drover.api.taskrun.TaskRunSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Puts values into a spec as data, never as code. Each bound value travels in an environment
 * variable of its own: a script refers to the variable (quoted for the spot it stands in), command
 * and args refer to it as $(NAME), which the agent (or kubelet) expands into a plain argument, and
 * every other string gets the value's text. So a value holding {@code $(rm -rf /)} or a quote is
 * passed along literally and runs nothing.
 */
public final class Substitution {
  /** The variable the agent (or pod) sets to the unit's item. */
  public static final String ITEM_VARIABLE = "DROVER_ITEM";

  /**
   * A value a reference stands for.
   *
   * @param key the reference, e.g. {@code params.database}
   * @param variable the environment variable that carries it
   * @param envValue the variable's value as written in the spec: $ doubled, and $(DROVER_ITEM)
   *     where the value contains the unit's item
   * @param text the value where no variable can be used (labels, image, working directory)
   */
  public record Binding(String key, String variable, String envValue, String text) {

    /** A value taken as it is, such as a task's result. */
    public static Binding literal(String key, String variable, String value) {
      return new Binding(key, variable, value.replace("$", "$$"), value);
    }

    /**
     * A param value as a run or flow writes it: {@code $(item)} is the unit's item and {@code $$} a
     * literal $.
     */
    public static Binding param(String name, String value) {
      StringBuilder envValue = new StringBuilder();
      StringBuilder text = new StringBuilder();
      int i = 0;
      while (i < value.length()) {
        if (value.startsWith("$$", i)) {
          envValue.append("$$");
          text.append('$');
          i += 2;
        } else if (value.startsWith("$(" + References.ITEM + ")", i)) {
          envValue.append("$(").append(ITEM_VARIABLE).append(')');
          text.append("$(").append(References.ITEM).append(')');
          i += References.ITEM.length() + 3;
        } else {
          char c = value.charAt(i);
          envValue.append(c == '$' ? "$$" : String.valueOf(c));
          text.append(c);
          i++;
        }
      }
      return new Binding(
          References.PARAMS + name,
          variableFor("PARAM", name),
          envValue.toString(),
          text.toString());
    }
  }

  private Substitution() {}

  /** The references of a script that stand where no value can be passed as data. */
  public static List<String> scriptProblems(String script) {
    return ShellText.problems(script);
  }

  /** An environment variable name for a param or task name: DROVER_PARAM_DB_NAME. */
  public static String variableFor(String kind, String name) {
    return "DROVER_" + kind + "_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /**
   * The spec with each bound reference (and {@code $(item)}) replaced, and the variables of the
   * values it uses added in front of its env, where later entries can refer to them.
   */
  public static TaskRunSpec apply(TaskRunSpec spec, List<Binding> bindings) {
    Map<String, Binding> byKey = new LinkedHashMap<>();
    bindings.forEach(b -> byKey.put(b.key(), b));
    byKey.put(
        References.ITEM,
        new Binding(References.ITEM, ITEM_VARIABLE, null, "$(" + References.ITEM + ")"));
    Map<String, Binding> used = new LinkedHashMap<>();
    TaskRunSpec replaced =
        References.transformStrings(
            spec,
            (path, text) ->
                switch (path) {
                  case "script" -> ShellText.replace(text, byKey, used);
                  case "command", "args", "env.value" -> replaceWith(text, byKey, used, true);
                  default -> replaceWith(text, byKey, used, false);
                });
    List<EnvEntry> env = new ArrayList<>();
    used.values().stream()
        .filter(b -> b.envValue() != null)
        .forEach(b -> env.add(new EnvEntry(b.variable(), b.envValue())));
    if (replaced.env() != null) {
      env.addAll(replaced.env());
    }
    return replaced.toBuilder().env(env.isEmpty() ? null : env).build();
  }

  private static String replaceWith(
      String text, Map<String, Binding> byKey, Map<String, Binding> used, boolean asVariable) {
    Matcher m = References.PATTERN.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Binding binding = byKey.get(m.group(1));
      String replacement;
      if (binding == null) {
        replacement = m.group();
      } else if (asVariable) {
        used.put(binding.key(), binding);
        replacement = "$(" + binding.variable() + ")";
      } else {
        replacement = binding.text();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
