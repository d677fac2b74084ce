package dev.drover.operator.task;

import dev.drover.api.EnvEntry;
import dev.drover.api.taskrun.TaskRunSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a resolved spec as an agent does: the DROVER_* variables first, then the spec's env entries
 * in order, each value expanded against the variables before it ({@code $(VAR)}, and {@code $$} for
 * a literal $); command and args expanded the same way; a script run by {@code /bin/sh -c}.
 */
final class AgentShell {
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  /** HOME as the command sees it, to show that {@code $HOME} in a value is not expanded. */
  static final String HOME = "/home/nobody-expands-this";

  record Outcome(int exitCode, String output) {}

  private AgentShell() {}

  static Map<String, String> environment(TaskRunSpec spec, String item) {
    Map<String, String> env = new LinkedHashMap<>();
    if (item != null) {
      env.put("DROVER_ITEM", item);
    }
    if (spec.env() != null) {
      for (EnvEntry entry : spec.env()) {
        env.put(entry.name(), expand(entry.value() == null ? "" : entry.value(), env));
      }
    }
    return env;
  }

  static List<String> argv(TaskRunSpec spec, String item) {
    Map<String, String> env = environment(spec, item);
    List<String> argv = new ArrayList<>();
    if (spec.script() != null) {
      argv.addAll(List.of("/bin/sh", "-c", spec.script()));
    } else if (spec.command() != null) {
      spec.command().forEach(word -> argv.add(expand(word, env)));
    }
    if (spec.args() != null) {
      spec.args().forEach(word -> argv.add(expand(word, env)));
    }
    return argv;
  }

  /** Runs the spec's command or script in {@code dir}; output is stdout and stderr together. */
  static Outcome run(TaskRunSpec spec, String item, Path dir)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(argv(spec, item)).directory(dir.toFile());
    builder.redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().put("PATH", "/usr/bin:/bin");
    builder.environment().put("HOME", HOME);
    builder.environment().putAll(environment(spec, item));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("still running after 10 s: " + spec.script());
    }
    return new Outcome(process.exitValue(), output);
  }

  static String expand(String word, Map<String, String> env) {
    Matcher m = REFERENCE.matcher(word);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = m.group(1) == null ? "$" : env.getOrDefault(m.group(1), m.group());
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
