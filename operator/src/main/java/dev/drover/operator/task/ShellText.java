package dev.drover.operator.task;

import dev.drover.operator.task.Substitution.Binding;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Replaces references in a /bin/sh script by references to the variables that hold their values,
 * quoted for where they stand: {@code "${V}"} outside quotes, {@code ${V}} inside double quotes and
 * unquoted here-documents, and {@code '"${V}"'} inside single quotes (closing and reopening them).
 * A command substitution ({@code $(...)} or backquotes) starts unquoted again, even inside double
 * quotes; comments are copied as they are. The shell then expands the variable once and never
 * parses its value, so a value cannot run anything.
 *
 * <p>Two spots cannot hold a value as data: an arithmetic expansion {@code $((...))}, where bash
 * evaluates a value as an expression (and runs the command substitutions in it), and a
 * here-document with a quoted delimiter, where nothing is expanded. References there are left as
 * written, and {@link #problems} names them.
 */
final class ShellText {
  private enum Quoting {
    NONE,
    SINGLE,
    DOUBLE
  }

  /** What a nesting level of the script is: the script itself or an expansion within it. */
  private enum Level {
    SCRIPT,
    COMMAND,
    BACKQUOTE,
    ARITHMETIC
  }

  /** Where a reference stands, which decides how it is written. */
  enum Spot {
    UNQUOTED,
    DOUBLE_QUOTED,
    SINGLE_QUOTED,
    HERE_DOCUMENT,
    QUOTED_HERE_DOCUMENT,
    ARITHMETIC
  }

  /** What a reference becomes at a spot; null leaves it as written. */
  interface Replacer {
    String replace(String key, Spot spot);
  }

  private static final class Frame {
    final Level level;
    Quoting quoting = Quoting.NONE;
    int parens;

    Frame(Level level) {
      this.level = level;
    }
  }

  private ShellText() {}

  static String replace(String script, Map<String, Binding> byKey, Map<String, Binding> used) {
    return scan(
        script,
        (key, spot) -> {
          Binding binding = byKey.get(key);
          if (binding == null) {
            return null;
          }
          String variable = "${" + binding.variable() + "}";
          String replacement =
              switch (spot) {
                case UNQUOTED -> '"' + variable + '"';
                case DOUBLE_QUOTED, HERE_DOCUMENT -> variable;
                case SINGLE_QUOTED -> "'\"" + variable + "\"'";
                case QUOTED_HERE_DOCUMENT, ARITHMETIC -> null;
              };
          if (replacement != null) {
            used.put(binding.key(), binding);
          }
          return replacement;
        });
  }

  /** The references of a script that stand where no value can be passed as data. */
  static List<String> problems(String script) {
    Set<String> problems = new LinkedHashSet<>();
    if (script != null) {
      scan(
          script,
          (key, spot) -> {
            if (spot == Spot.ARITHMETIC) {
              problems.add(
                  "script uses $("
                      + key
                      + ") inside $((...)), where a shell may run a value as code; assign it to a"
                      + " variable and check that it is a number first");
            } else if (spot == Spot.QUOTED_HERE_DOCUMENT) {
              problems.add(
                  "script uses $("
                      + key
                      + ") in a here-document with a quoted delimiter, where nothing is replaced;"
                      + " leave the delimiter unquoted");
            }
            return null;
          });
    }
    return new ArrayList<>(problems);
  }

  private static String scan(String script, Replacer replacer) {
    StringBuilder out = new StringBuilder();
    Matcher m = References.PATTERN.matcher(script);
    Deque<Frame> frames = new ArrayDeque<>();
    frames.push(new Frame(Level.SCRIPT));
    List<HereDocuments.HereDocument> pending = new ArrayList<>();
    int n = script.length();
    int i = 0;
    while (i < n) {
      Frame frame = frames.peek();
      char c = script.charAt(i);
      if (c == '$' && m.region(i, n).lookingAt()) {
        String replacement = replacer.replace(m.group(1), spotOf(frame));
        if (replacement != null) {
          out.append(replacement);
          i = m.end();
          continue;
        }
      }
      if (frame.quoting == Quoting.SINGLE) {
        out.append(c);
        if (c == '\'') {
          frame.quoting = Quoting.NONE;
        }
        i++;
        continue;
      }
      if (c == '\\' && i + 1 < n) {
        out.append(c).append(script.charAt(i + 1));
        i += 2;
        continue;
      }
      if (c == '`') {
        out.append(c);
        if (frame.level == Level.BACKQUOTE) {
          frames.pop();
        } else {
          frames.push(new Frame(Level.BACKQUOTE));
        }
        i++;
        continue;
      }
      if (script.startsWith("$((", i)) {
        out.append("$((");
        frames.push(new Frame(Level.ARITHMETIC));
        i += 3;
        continue;
      }
      if (script.startsWith("$(", i)) {
        out.append("$(");
        frames.push(new Frame(Level.COMMAND));
        i += 2;
        continue;
      }
      if (frame.quoting == Quoting.DOUBLE) {
        out.append(c);
        if (c == '"') {
          frame.quoting = Quoting.NONE;
        }
        i++;
        continue;
      }
      // Unquoted from here on.
      if (c == '#' && startsWord(script, i) && frame.level != Level.ARITHMETIC) {
        int end = script.indexOf('\n', i);
        end = end < 0 ? n : end;
        out.append(script, i, end);
        i = end;
        continue;
      }
      if (c == '\'' || c == '"') {
        frame.quoting = c == '\'' ? Quoting.SINGLE : Quoting.DOUBLE;
      } else if (c == '(' && frame.level != Level.SCRIPT && frame.level != Level.BACKQUOTE) {
        frame.parens++;
      } else if (c == ')' && frame.level == Level.COMMAND && frame.parens == 0) {
        frames.pop();
      } else if (c == ')' && frame.level == Level.ARITHMETIC && frame.parens == 0) {
        if (script.startsWith("))", i)) {
          out.append(')');
          i++;
        }
        frames.pop();
      } else if (c == ')' && frame.parens > 0) {
        frame.parens--;
      } else if (script.startsWith("<<<", i)) {
        out.append("<<");
        i += 2;
      } else if (script.startsWith("<<", i) && frame.level != Level.ARITHMETIC) {
        i = HereDocuments.operator(script, i, out, pending);
        continue;
      } else if (c == '\n' && !pending.isEmpty()) {
        out.append(c);
        i = HereDocuments.bodies(script, i + 1, out, pending, replacer, m);
        pending.clear();
        continue;
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  private static Spot spotOf(Frame frame) {
    if (frame.level == Level.ARITHMETIC) {
      return Spot.ARITHMETIC;
    }
    return switch (frame.quoting) {
      case NONE -> Spot.UNQUOTED;
      case DOUBLE -> Spot.DOUBLE_QUOTED;
      case SINGLE -> Spot.SINGLE_QUOTED;
    };
  }

  private static boolean startsWord(String script, int i) {
    return i == 0 || " \t\n;&|()<>".indexOf(script.charAt(i - 1)) >= 0;
  }
}
