package dev.drover.api.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.drover.api.EnvEntry;
import dev.drover.api.taskrun.PodOptions;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskExecutionSpec(
    @Required String run,
    @Required
        @JsonPropertyDescription(
            "The unit of work: an agent or node name (Broadcast), item-N (Distribute) or single.")
        String unit,
    @JsonPropertyDescription("The agent (or node, with a pod) a Broadcast unit belongs to.")
        String target,
    String item,
    @Required @Min(1) Integer attempt,
    @JsonPropertyDescription(
            "The agent that runs this attempt; empty until dispatched, and for pods.")
        String agent,
    List<String> command,
    List<String> args,
    String script,
    List<EnvEntry> env,
    String workingDir,
    Long timeoutSeconds,
    @JsonPropertyDescription("Set by the operator to stop the attempt.") Boolean cancel,
    @JsonPropertyDescription("Present when a pod, not an agent, carries the attempt out.")
        PodOptions pod,
    @JsonPropertyDescription("Executor Pod: nodes the pod may run on (Single and Distribute).")
        LabelSelector nodeSelector,
    @JsonPropertyDescription(
            "Executor Pod: the node of the failed previous attempt, avoided if another fits.")
        String avoidNode,
    @JsonPropertyDescription(
            "Executor Pod: set by the operator when the attempt may start (parallelism).")
        Boolean released) {

  public boolean cancelRequested() {
    return Boolean.TRUE.equals(cancel);
  }

  public boolean runsInPod() {
    return pod != null;
  }

  /** Dispatched: an agent is named, or (for a pod) the operator released the attempt to start. */
  public boolean dispatched() {
    return agent != null || Boolean.TRUE.equals(released);
  }

  public TaskExecutionSpec dispatchedTo(String agentName) {
    return new TaskExecutionSpec(
        run,
        unit,
        target,
        item,
        attempt,
        agentName,
        command,
        args,
        script,
        env,
        workingDir,
        timeoutSeconds,
        cancel,
        pod,
        nodeSelector,
        avoidNode,
        released);
  }

  public TaskExecutionSpec releasedToStart() {
    return new TaskExecutionSpec(
        run,
        unit,
        target,
        item,
        attempt,
        agent,
        command,
        args,
        script,
        env,
        workingDir,
        timeoutSeconds,
        cancel,
        pod,
        nodeSelector,
        avoidNode,
        true);
  }
}
