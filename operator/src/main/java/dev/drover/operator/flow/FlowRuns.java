package dev.drover.operator.flow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.api.DroverLabels;
import dev.drover.api.flow.FlowTask;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.TaskRef;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.operator.support.KubeNames;
import dev.drover.operator.support.Owners;
import dev.drover.operator.task.References;
import dev.drover.operator.task.Substitution;
import dev.drover.operator.task.Substitution.Binding;
import dev.drover.operator.taskrun.RunResults;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;

/**
 * Builds the TaskRun that carries out one flow task, with the results it refers to put in as data.
 * Its name derives from the flow, the task and the retry, so creating it twice creates it once.
 */
final class FlowRuns {
  /** One value passed to a task; the kernel refuses an environment string of 128 KiB or more. */
  static final int MAX_VALUE_BYTES = 120 * 1024;

  /** All values passed to one task together. */
  static final int MAX_TOTAL_BYTES = 256 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The TaskRun to create, or why the task cannot start (it then fails); empty items skip it. */
  record Built(TaskRun run, String problem, boolean noItems) {
    static Built failed(String problem) {
      return new Built(null, problem, false);
    }
  }

  private FlowRuns() {}

  static String runName(TaskFlow flow, String task, int retry) {
    String flowName = flow.getMetadata().getName();
    return retry == 0
        ? KubeNames.join(flowName, task)
        : KubeNames.join(flowName, task, "r" + retry);
  }

  /**
   * @param resultOf the result of a task of this flow: its text, or "" when it has none
   */
  static Built build(TaskFlow flow, FlowTask task, int retry, Function<String, String> resultOf) {
    TaskRunSpec own = task.spec() == null ? TaskRunSpec.builder().build() : task.spec();
    Map<String, String> values = new LinkedHashMap<>();
    Set<String> keys = new LinkedHashSet<>(References.in(own));
    if (task.taskRef() != null) {
      task.taskRef().paramsOrEmpty().values().forEach(v -> keys.addAll(References.in(v)));
    }
    for (String key : keys) {
      String upstream = References.taskOf(key);
      if (upstream != null) {
        values.put(key, resultOf.apply(upstream));
      } else if (References.DEPENDS_ON_RESULTS.equals(key)) {
        values.put(key, resultsArray(task.dependsOnOrEmpty(), resultOf));
      }
    }
    String tooLarge = sizeProblem(values);
    if (tooLarge != null) {
      return Built.failed(tooLarge);
    }
    List<Binding> bindings = new ArrayList<>();
    values.forEach((key, value) -> bindings.add(Binding.literal(key, variableOf(key), value)));
    TaskRunSpec.Builder spec = Substitution.apply(own, bindings).toBuilder();
    if (task.taskRef() != null) {
      spec.taskRef(withValues(task.taskRef(), values));
    }
    if (task.itemsFrom() != null) {
      String upstream = References.taskOf(References.in(task.itemsFrom()).iterator().next());
      List<String> items;
      try {
        items = items(resultOf.apply(upstream));
      } catch (IllegalArgumentException notAnArray) {
        return Built.failed(
            "itemsFrom: the result of "
                + upstream
                + " is not a JSON array: "
                + notAnArray.getMessage());
      }
      if (items.isEmpty()) {
        return new Built(null, "itemsFrom: the result of " + upstream + " is an empty array", true);
      }
      spec.dispatch(Dispatch.Distribute).items(items);
    }
    return new Built(run(flow, task.name(), retry, spec.build()), null, false);
  }

  private static TaskRun run(TaskFlow flow, String task, int retry, TaskRunSpec spec) {
    TaskRun run = new TaskRun();
    run.setMetadata(
        new ObjectMetaBuilder()
            .withName(runName(flow, task, retry))
            .withNamespace(flow.getMetadata().getNamespace())
            .withLabels(
                Map.of(
                    DroverLabels.FLOW, KubeNames.labelValue(flow.getMetadata().getName()),
                    DroverLabels.FLOW_TASK, task,
                    DroverLabels.FLOW_RETRY, String.valueOf(retry)))
            .withOwnerReferences(Owners.controlledBy(flow))
            .build());
    run.setSpec(spec);
    return run;
  }

  /** The elements of a JSON array: strings as they are, anything else as compact JSON. */
  static List<String> items(String result) {
    JsonNode array;
    try {
      array = JSON.readTree(result);
    } catch (JsonProcessingException e) {
      array = null;
    }
    if (array == null || !array.isArray()) {
      throw new IllegalArgumentException(preview(result));
    }
    List<String> items = new ArrayList<>();
    array.forEach(e -> items.add(e.isTextual() ? e.asText() : e.toString()));
    return items;
  }

  static String preview(String text) {
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() <= 80 ? "\"" + flat + "\"" : "\"" + flat.substring(0, 77) + "...\"";
  }

  private static String resultsArray(List<String> tasks, Function<String, String> resultOf) {
    StringBuilder array = new StringBuilder("[");
    for (String task : tasks) {
      String result = resultOf.apply(task);
      if (array.length() > 1) {
        array.append(',');
      }
      array.append(result.isEmpty() ? "null" : RunResults.asJson(result).toString());
    }
    return array.append(']').toString();
  }

  private static String sizeProblem(Map<String, String> values) {
    long total = 0;
    for (Map.Entry<String, String> value : values.entrySet()) {
      int bytes = value.getValue().getBytes(StandardCharsets.UTF_8).length;
      total += bytes;
      if (bytes > MAX_VALUE_BYTES) {
        return "ResultTooLarge: $("
            + value.getKey()
            + ") is "
            + bytes
            + " bytes; one value passed to a task may be at most "
            + MAX_VALUE_BYTES
            + " (120 KiB)";
      }
    }
    if (total > MAX_TOTAL_BYTES) {
      return "ResultTooLarge: the values passed to this task are "
          + total
          + " bytes together; the limit is "
          + MAX_TOTAL_BYTES
          + " (256 KiB)";
    }
    return null;
  }

  private static String variableOf(String key) {
    String task = References.taskOf(key);
    return task != null
        ? Substitution.variableFor("TASK", task) + "_RESULT"
        : "DROVER_DEPENDS_ON_RESULTS";
  }

  /** Param values with results put in, their $ doubled: in a param value $$ is a literal $. */
  private static TaskRef withValues(TaskRef ref, Map<String, String> values) {
    Map<String, String> params = new LinkedHashMap<>();
    ref.paramsOrEmpty()
        .forEach(
            (name, value) -> {
              Matcher m = References.pattern().matcher(value);
              StringBuilder out = new StringBuilder();
              while (m.find()) {
                String replacement =
                    values.containsKey(m.group(1))
                        ? values.get(m.group(1)).replace("$", "$$")
                        : m.group();
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
              }
              m.appendTail(out);
              params.put(name, out.toString());
            });
    return new TaskRef(ref.name(), params);
  }
}
