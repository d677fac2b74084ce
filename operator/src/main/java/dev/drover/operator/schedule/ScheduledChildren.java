package dev.drover.operator.schedule;

import dev.drover.api.DroverLabels;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.schedule.RunTemplate.TemplateMetadata;
import dev.drover.api.schedule.ScheduledTask;
import dev.drover.api.schedule.ScheduledTaskSpec;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.operator.support.KubeNames;
import dev.drover.operator.support.Owners;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The objects a ScheduledTask's firings create: TaskRuns from a {@code runTemplate}, TaskFlows from
 * a {@code flowTemplate}. A phase and a completion time are all the schedule reads of either; the
 * rest of it works on their metadata, the same for both kinds.
 */
final class ScheduledChildren {
  private ScheduledChildren() {}

  /** The child's phase, null until its controller has set one. */
  static RunPhase phase(HasMetadata child) {
    if (child instanceof TaskRun run) {
      return run.getStatus() == null ? null : run.getStatus().phase();
    }
    if (child instanceof TaskFlow flow) {
      return flow.getStatus() == null ? null : flow.getStatus().phase();
    }
    throw notAChild(child);
  }

  static String completionTime(HasMetadata child) {
    if (child instanceof TaskRun run) {
      return run.getStatus() == null ? null : run.getStatus().completionTime();
    }
    if (child instanceof TaskFlow flow) {
      return flow.getStatus() == null ? null : flow.getStatus().completionTime();
    }
    throw notAChild(child);
  }

  /**
   * What one firing creates, of the kind the spec's template asks for: named, labelled and
   * annotated for its due time, and owned by the task. A valid spec has exactly one template.
   */
  static HasMetadata build(ScheduledTask task, String name, Instant due) {
    ScheduledTaskSpec spec = task.getSpec();
    if (spec.flowTemplate() != null) {
      TaskFlow flow = new TaskFlow();
      flow.setMetadata(metadata(task, name, due, spec.flowTemplate().metadata()));
      flow.setSpec(spec.flowTemplate().spec());
      return flow;
    }
    TaskRun run = new TaskRun();
    run.setMetadata(metadata(task, name, due, spec.runTemplate().metadata()));
    run.setSpec(spec.runTemplate().spec());
    return run;
  }

  private static ObjectMeta metadata(
      ScheduledTask task, String name, Instant due, TemplateMetadata template) {
    Map<String, String> labels = new HashMap<>();
    Map<String, String> annotations = new HashMap<>();
    if (template != null) {
      Optional.ofNullable(template.labels()).ifPresent(labels::putAll);
      Optional.ofNullable(template.annotations()).ifPresent(annotations::putAll);
    }
    labels.put(DroverLabels.SCHEDULED_TASK, KubeNames.labelValue(task.getMetadata().getName()));
    annotations.put(DroverLabels.SCHEDULED_TIME, due.toString());
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(task.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(annotations)
        .withOwnerReferences(Owners.controlledBy(task))
        .build();
  }

  private static IllegalArgumentException notAChild(HasMetadata object) {
    return new IllegalArgumentException(
        "a ScheduledTask creates TaskRuns and TaskFlows, not " + object.getKind());
  }
}
