package dev.drover.operator.task;

import dev.drover.operator.task.Substitution.Binding;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Replaces references in a /bin/sh script by references to the variables that hold their values,
 * quoted for where they stand: {@code "${V}"} outside quotes, {@code ${V}} inside double quotes,
 * and {@code '"${V}"'} inside single quotes (closing and reopening them). The shell then expands
 * the variable once and never parses its value, so a value cannot run anything.
 */
final class ShellText {
  private enum Quoting {
    NONE,
    SINGLE,
    DOUBLE
  }

  private ShellText() {}

  static String replace(String script, Map<String, Binding> byKey, Map<String, Binding> used) {
    StringBuilder out = new StringBuilder();
    Matcher m = References.PATTERN.matcher(script);
    Quoting quoting = Quoting.NONE;
    int i = 0;
    while (i < script.length()) {
      char c = script.charAt(i);
      if (c == '$' && m.region(i, script.length()).lookingAt() && byKey.containsKey(m.group(1))) {
        Binding binding = byKey.get(m.group(1));
        used.put(binding.key(), binding);
        String variable = "${" + binding.variable() + "}";
        out.append(
            switch (quoting) {
              case NONE -> '"' + variable + '"';
              case DOUBLE -> variable;
              case SINGLE -> "'\"" + variable + "\"'";
            });
        i = m.end();
        continue;
      }
      out.append(c);
      if (c == '\\' && quoting != Quoting.SINGLE && i + 1 < script.length()) {
        out.append(script.charAt(i + 1));
        i += 2;
        continue;
      }
      if (c == '\'' && quoting != Quoting.DOUBLE) {
        quoting = quoting == Quoting.SINGLE ? Quoting.NONE : Quoting.SINGLE;
      } else if (c == '"' && quoting != Quoting.SINGLE) {
        quoting = quoting == Quoting.DOUBLE ? Quoting.NONE : Quoting.DOUBLE;
      }
      i++;
    }
    return out.toString();
  }
}
