package dev.drover.api.taskrun;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;

/**
 * The parts of a pod an operations task needs, for executor Pod. The command, script, env and
 * working directory stay on the run, so switching executor changes one line.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PodOptions(
    @Required @JsonPropertyDescription("Container image that runs the command.") String image,
    @JsonPropertyDescription("Always, IfNotPresent or Never (Kubernetes' default when empty).")
        ImagePullPolicy imagePullPolicy,
    ResourceRequirements resources,
    List<Volume> volumes,
    List<VolumeMount> volumeMounts,
    String serviceAccountName,
    @JsonPropertyDescription("Security context of the task's container.")
        SecurityContext securityContext,
    @JsonPropertyDescription(
            "Taints these tolerate let a pod onto a node; Broadcast skips nodes whose taints are"
                + " not tolerated.")
        List<Toleration> tolerations,
    List<LocalObjectReference> imagePullSecrets,
    @Min(1)
        @JsonPropertyDescription(
            "An attempt whose pod is not scheduled, or whose image is not pulled, this many seconds"
                + " after the pod was created fails with that reason (default 300).")
        Long startTimeoutSeconds) {

  public static final long DEFAULT_START_TIMEOUT_SECONDS = 300;

  public long startTimeoutSecondsOrDefault() {
    return startTimeoutSeconds == null ? DEFAULT_START_TIMEOUT_SECONDS : startTimeoutSeconds;
  }

  public enum ImagePullPolicy {
    Always,
    IfNotPresent,
    Never
  }
}
