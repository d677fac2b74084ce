package dev.drover.api.steer;

import dev.drover.api.DroverLabels;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.flow.TaskFlowSpec;
import dev.drover.api.taskrun.TaskRun;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.HashMap;
import java.util.Map;

/**
 * A re-run: a new object with the spec of an earlier run or flow (never its status), a fresh name
 * after it and the label {@link DroverLabels#RERUN_OF} pointing back at it. Every client that
 * offers "run again" builds it here, so the plugin and the console start the same thing.
 */
public final class Reruns {
  private static final int NAME_PREFIX_LIMIT = 40;

  private Reruns() {}

  public static TaskRun of(TaskRun original) {
    TaskRun run = new TaskRun();
    run.setMetadata(metadataAfter(original.getMetadata()));
    run.setSpec(original.getSpec().toBuilder().cancel(null).build());
    return run;
  }

  public static TaskFlow of(TaskFlow original) {
    TaskFlowSpec spec = original.getSpec();
    TaskFlow flow = new TaskFlow();
    flow.setMetadata(metadataAfter(original.getMetadata()));
    flow.setSpec(
        new TaskFlowSpec(
            spec.failFast(),
            spec.parallelism(),
            spec.activeDeadlineSeconds(),
            null,
            spec.tasks(),
            spec.finallyTasks()));
    return flow;
  }

  private static ObjectMeta metadataAfter(ObjectMeta original) {
    Map<String, String> labels = new HashMap<>();
    if (original.getLabels() != null) {
      labels.putAll(original.getLabels());
    }
    labels.put(DroverLabels.RERUN_OF, original.getName());
    return new ObjectMetaBuilder()
        .withNamespace(original.getNamespace())
        .withGenerateName(generateNamePrefix(original.getName()))
        .withLabels(labels)
        .build();
  }

  /** A generateName prefix from a word: lower case, letters, digits and dashes, then "-". */
  public static String generateNamePrefix(String word) {
    String base =
        word.substring(word.lastIndexOf('/') + 1).toLowerCase().replaceAll("[^a-z0-9-]+", "-");
    base = base.replaceAll("^-+|-+$", "");
    if (base.length() > NAME_PREFIX_LIMIT) {
      base = base.substring(0, NAME_PREFIX_LIMIT).replaceAll("-+$", "");
    }
    return (base.isEmpty() ? "run" : base) + "-";
  }
}
