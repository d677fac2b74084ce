package dev.drover.operator.pod;

import dev.drover.api.DroverLabels;
import dev.drover.api.EnvEntry;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionSpec;
import dev.drover.api.taskrun.PodOptions;
import dev.drover.operator.support.Owners;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The pod that carries out one attempt: named after its execution, owned by it, placed as the run
 * asks.
 */
public final class PodRenderer {
  public static final String CONTAINER = "task";
  static final String HOSTNAME_LABEL = "kubernetes.io/hostname";

  private PodRenderer() {}

  public static Pod render(TaskExecution execution) {
    TaskExecutionSpec spec = execution.getSpec();
    PodOptions options = spec.pod();
    Map<String, String> labels = new LinkedHashMap<>(execution.getMetadata().getLabels());
    labels.put(DroverLabels.EXECUTOR, DroverLabels.EXECUTOR_POD);
    return new PodBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(execution.getMetadata().getName())
                .withNamespace(execution.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(Owners.controlledBy(execution))
                .build())
        .withNewSpec()
        .withRestartPolicy("Never")
        .withActiveDeadlineSeconds(spec.timeoutSeconds())
        .withEnableServiceLinks(false)
        .withServiceAccountName(options.serviceAccountName())
        .withImagePullSecrets(options.imagePullSecrets())
        .withTolerations(options.tolerations())
        .withVolumes(options.volumes())
        .withAffinity(affinity(spec))
        .withContainers(container(execution.getMetadata().getNamespace(), spec))
        .endSpec()
        .build();
  }

  private static Container container(String namespace, TaskExecutionSpec spec) {
    PodOptions options = spec.pod();
    List<String> command = new ArrayList<>();
    if (spec.script() != null) {
      command.add("/bin/sh");
      command.add("-c");
      // The script reaches the shell verbatim, as on an agent: Kubernetes reads "$$" as "$".
      command.add(spec.script().replace("$", "$$"));
    } else {
      command.addAll(spec.command());
    }
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(options.image())
        .withImagePullPolicy(
            options.imagePullPolicy() == null ? null : options.imagePullPolicy().name())
        .withCommand(command)
        .withArgs(spec.args())
        .withWorkingDir(spec.workingDir())
        .withEnv(environment(namespace, spec))
        .withResources(options.resources())
        .withVolumeMounts(options.volumeMounts())
        .withSecurityContext(options.securityContext())
        // On failure the kubelet keeps the tail of the log as the termination message: it survives
        // the pod.
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .build();
  }

  /**
   * The DROVER_* variables, then the run's env: the kubelet expands $(VAR) in an env value only for
   * variables defined before it, and a value may refer to DROVER_ITEM. In a pod DROVER_AGENT names
   * the node. Entries named like a DROVER_* variable are left out, as the agent does.
   */
  static List<EnvVar> environment(String namespace, TaskExecutionSpec spec) {
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVar("DROVER_RUN", spec.run(), null));
    env.add(new EnvVar("DROVER_NAMESPACE", namespace, null));
    env.add(fromField("DROVER_NODE", "spec.nodeName"));
    env.add(fromField("DROVER_AGENT", "spec.nodeName"));
    env.add(fromField("DROVER_POD", "metadata.name"));
    env.add(new EnvVar("DROVER_ATTEMPT", String.valueOf(spec.attempt()), null));
    if (spec.item() != null) {
      env.add(new EnvVar("DROVER_ITEM", spec.item(), null));
    }
    Set<String> builtIns = env.stream().map(EnvVar::getName).collect(Collectors.toSet());
    if (spec.env() != null) {
      for (EnvEntry entry : spec.env()) {
        if (!builtIns.contains(entry.name())) {
          env.add(new EnvVar(entry.name(), entry.value(), null));
        }
      }
    }
    return env;
  }

  private static EnvVar fromField(String name, String fieldPath) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath(fieldPath)
        .endFieldRef()
        .endValueFrom()
        .build();
  }

  /**
   * A Broadcast unit is pinned to its node by hostname, as a DaemonSet pins its pods; other units
   * may go to any node the run's selector matches, the scheduler choosing among them. A retry
   * prefers a node other than the one its previous attempt failed on.
   */
  static Affinity affinity(TaskExecutionSpec spec) {
    List<NodeSelectorRequirement> required =
        spec.target() != null
            ? List.of(new NodeSelectorRequirement(HOSTNAME_LABEL, "In", List.of(spec.target())))
            : requirements(spec.nodeSelector());
    boolean avoid = spec.avoidNode() != null && spec.target() == null;
    if (required.isEmpty() && !avoid) {
      return null;
    }
    NodeAffinity nodeAffinity = new NodeAffinity();
    if (!required.isEmpty()) {
      nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(
          new NodeSelector(List.of(new NodeSelectorTerm(required, null))));
    }
    if (avoid) {
      NodeSelectorRequirement elsewhere =
          new NodeSelectorRequirement(HOSTNAME_LABEL, "NotIn", List.of(spec.avoidNode()));
      nodeAffinity.setPreferredDuringSchedulingIgnoredDuringExecution(
          List.of(
              new PreferredSchedulingTerm(new NodeSelectorTerm(List.of(elsewhere), null), 100)));
    }
    return new Affinity(nodeAffinity, null, null);
  }

  /** A label selector in node-affinity terms: matchLabels become In requirements. */
  static List<NodeSelectorRequirement> requirements(LabelSelector selector) {
    List<NodeSelectorRequirement> requirements = new ArrayList<>();
    if (selector == null) {
      return requirements;
    }
    if (selector.getMatchLabels() != null) {
      selector
          .getMatchLabels()
          .forEach((k, v) -> requirements.add(new NodeSelectorRequirement(k, "In", List.of(v))));
    }
    if (selector.getMatchExpressions() != null) {
      selector
          .getMatchExpressions()
          .forEach(
              r ->
                  requirements.add(
                      new NodeSelectorRequirement(r.getKey(), r.getOperator(), r.getValues())));
    }
    return requirements;
  }
}
