package dev.drover.agent.process;

import dev.drover.api.EnvEntry;
import dev.drover.api.execution.TaskExecutionSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The argv and environment of one execution, as Kubernetes would build them for a container. */
public record CommandLine(List<String> argv, Map<String, String> environment) {
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  public static CommandLine of(TaskExecutionSpec spec, String namespace, String agentName) {
    Map<String, String> env = new LinkedHashMap<>();
    if (spec.env() != null) {
      for (EnvEntry entry : spec.env()) {
        env.put(entry.name(), entry.value() == null ? "" : entry.value());
      }
    }
    env.put("DROVER_RUN", spec.run());
    env.put("DROVER_NAMESPACE", namespace);
    env.put("DROVER_AGENT", agentName);
    env.put("DROVER_ATTEMPT", String.valueOf(spec.attempt()));
    if (spec.item() != null) {
      env.put("DROVER_ITEM", spec.item());
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
    return new CommandLine(List.copyOf(argv), Map.copyOf(env));
  }

  /**
   * Replaces $(NAME) by its value; $$ stands for a literal $; unknown references stay as written.
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
