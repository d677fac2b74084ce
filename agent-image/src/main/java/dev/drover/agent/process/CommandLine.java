package dev.drover.agent.process;

import dev.drover.api.EnvEntry;
import dev.drover.api.execution.TaskExecutionSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The argv and environment of one execution, as Kubernetes would build them for a container, and
 * the file the command may leave its result in.
 *
 * <p>The environment holds the DROVER_* variables first, then the spec's env entries in order, each
 * value expanded against the variables defined before it, as Kubernetes expands a container's env.
 * An entry named like a DROVER_* variable the execution has is left out: those always hold what the
 * agent says, so a command finds its item and its result file whatever the env asks.
 */
public record CommandLine(List<String> argv, Map<String, String> environment, Path resultFile) {
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  public static CommandLine of(
      TaskExecutionSpec spec, String namespace, String agentName, Path resultFile) {
    Map<String, String> builtIns = new LinkedHashMap<>();
    builtIns.put("DROVER_RUN", spec.run());
    builtIns.put("DROVER_NAMESPACE", namespace);
    builtIns.put("DROVER_AGENT", agentName);
    builtIns.put("DROVER_ATTEMPT", String.valueOf(spec.attempt()));
    if (spec.item() != null) {
      builtIns.put("DROVER_ITEM", spec.item());
    }
    builtIns.put("DROVER_RESULT", resultFile.toString());
    Map<String, String> env = new LinkedHashMap<>(builtIns);
    if (spec.env() != null) {
      for (EnvEntry entry : spec.env()) {
        if (!builtIns.containsKey(entry.name())) {
          env.put(entry.name(), entry.value() == null ? "" : expand(entry.value(), env));
        }
      }
    }
    List<String> argv = new ArrayList<>();
    if (spec.script() != null) {
      argv.add("/bin/sh");
      argv.add("-c");
      argv.add(spec.script());
    } else if (spec.command() != null) {
      spec.command().forEach(word -> argv.add(expand(word, env)));
    }
    if (spec.args() != null) {
      spec.args().forEach(word -> argv.add(expand(word, env)));
    }
    return new CommandLine(List.copyOf(argv), Map.copyOf(env), resultFile);
  }

  /**
   * Replaces $(NAME) by its value; $$ stands for a literal $; unknown references stay as written.
   * One pass: a value put in is not expanded again.
   */
  static String expand(String word, Map<String, String> env) {
    Matcher m = REFERENCE.matcher(word);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group(1) == null) {
        replacement = "$";
      } else {
        replacement = env.getOrDefault(m.group(1), m.group());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
