package dev.drover.operator.task;

import dev.drover.operator.task.ShellText.Replacer;
import dev.drover.operator.task.ShellText.Spot;
import java.util.List;
import java.util.regex.Matcher;

/** The here-documents of a script: their operators, and bodies where values may stand. */
final class HereDocuments {
  /** A here-document whose body follows the next newline. */
  record HereDocument(String delimiter, boolean quoted, boolean stripTabs) {}

  private HereDocuments() {}

  /** Copies {@code <<WORD} or {@code <<-WORD}, notes the here-document, returns where it ends. */
  static int operator(String script, int i, StringBuilder out, List<HereDocument> pending) {
    int n = script.length();
    int j = i + 2;
    boolean stripTabs = j < n && script.charAt(j) == '-';
    if (stripTabs) {
      j++;
    }
    while (j < n && (script.charAt(j) == ' ' || script.charAt(j) == '\t')) {
      j++;
    }
    StringBuilder delimiter = new StringBuilder();
    boolean quoted = false;
    while (j < n && " \t\n;&|()<>".indexOf(script.charAt(j)) < 0) {
      char c = script.charAt(j);
      if (c == '\'' || c == '"') {
        quoted = true;
        int close = script.indexOf(c, j + 1);
        close = close < 0 ? n : close;
        delimiter.append(script, j + 1, close);
        j = Math.min(close + 1, n);
      } else if (c == '\\' && j + 1 < n) {
        quoted = true;
        delimiter.append(script.charAt(j + 1));
        j += 2;
      } else {
        delimiter.append(c);
        j++;
      }
    }
    out.append(script, i, j);
    if (delimiter.length() > 0) {
      pending.add(new HereDocument(delimiter.toString(), quoted, stripTabs));
    }
    return j;
  }

  /** Copies the bodies of the pending here-documents, from {@code i}; returns where they end. */
  static int bodies(
      String script,
      int i,
      StringBuilder out,
      List<HereDocument> pending,
      Replacer replacer,
      Matcher m) {
    int n = script.length();
    for (HereDocument doc : pending) {
      while (i < n) {
        int end = script.indexOf('\n', i);
        int next = end < 0 ? n : end + 1;
        String line = script.substring(i, end < 0 ? n : end);
        String bare = doc.stripTabs() ? line.replaceFirst("^\t+", "") : line;
        if (bare.equals(doc.delimiter())) {
          out.append(script, i, next);
          i = next;
          break;
        }
        Spot spot = doc.quoted() ? Spot.QUOTED_HERE_DOCUMENT : Spot.HERE_DOCUMENT;
        int j = i;
        int lineEnd = end < 0 ? n : end;
        while (j < lineEnd) {
          char c = script.charAt(j);
          if (!doc.quoted() && c == '\\' && j + 1 < lineEnd) {
            out.append(c).append(script.charAt(j + 1));
            j += 2;
            continue;
          }
          if (c == '$' && m.region(j, lineEnd).lookingAt()) {
            String replacement = replacer.replace(m.group(1), spot);
            if (replacement != null) {
              out.append(replacement);
              j = m.end();
              continue;
            }
          }
          out.append(c);
          j++;
        }
        out.append(script, lineEnd, next);
        i = next;
      }
    }
    return i;
  }
}
