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
    @JsonPropertyDescription(
            "A batch of Distribute items (itemsPerExecution): each runs as its own process with"
                + " DROVER_ITEM set to it.")
        List<String> items,
    @JsonPropertyDescription("The batch's items' positions in the run's items, in batch order.")
        List<Integer> itemIndices,
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

  /** Whether this execution carries a batch of items rather than one target's work. */
  public boolean batch() {
    return items != null;
  }

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
    return toBuilder().agent(agentName).build();
  }

  public TaskExecutionSpec releasedToStart() {
    return toBuilder().released(true).build();
  }

  public TaskExecutionSpec cancelled() {
    return toBuilder().cancel(true).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .run(run)
        .unit(unit)
        .target(target)
        .item(item)
        .items(items)
        .itemIndices(itemIndices)
        .attempt(attempt)
        .agent(agent)
        .command(command)
        .args(args)
        .script(script)
        .env(env)
        .workingDir(workingDir)
        .timeoutSeconds(timeoutSeconds)
        .cancel(cancel)
        .pod(pod)
        .nodeSelector(nodeSelector)
        .avoidNode(avoidNode)
        .released(released);
  }

  /** Names every field it sets, so no spec is built positionally with a row of nulls. */
  public static final class Builder {
    private String run;
    private String unit;
    private String target;
    private String item;
    private List<String> items;
    private List<Integer> itemIndices;
    private Integer attempt;
    private String agent;
    private List<String> command;
    private List<String> args;
    private String script;
    private List<EnvEntry> env;
    private String workingDir;
    private Long timeoutSeconds;
    private Boolean cancel;
    private PodOptions pod;
    private LabelSelector nodeSelector;
    private String avoidNode;
    private Boolean released;

    private Builder() {}

    public Builder run(String value) {
      run = value;
      return this;
    }

    public Builder unit(String value) {
      unit = value;
      return this;
    }

    public Builder target(String value) {
      target = value;
      return this;
    }

    public Builder item(String value) {
      item = value;
      return this;
    }

    public Builder items(List<String> value) {
      items = value;
      return this;
    }

    public Builder itemIndices(List<Integer> value) {
      itemIndices = value;
      return this;
    }

    public Builder attempt(Integer value) {
      attempt = value;
      return this;
    }

    public Builder agent(String value) {
      agent = value;
      return this;
    }

    public Builder command(List<String> value) {
      command = value;
      return this;
    }

    public Builder args(List<String> value) {
      args = value;
      return this;
    }

    public Builder script(String value) {
      script = value;
      return this;
    }

    public Builder env(List<EnvEntry> value) {
      env = value;
      return this;
    }

    public Builder workingDir(String value) {
      workingDir = value;
      return this;
    }

    public Builder timeoutSeconds(Long value) {
      timeoutSeconds = value;
      return this;
    }

    public Builder cancel(Boolean value) {
      cancel = value;
      return this;
    }

    public Builder pod(PodOptions value) {
      pod = value;
      return this;
    }

    public Builder nodeSelector(LabelSelector value) {
      nodeSelector = value;
      return this;
    }

    public Builder avoidNode(String value) {
      avoidNode = value;
      return this;
    }

    public Builder released(Boolean value) {
      released = value;
      return this;
    }

    public TaskExecutionSpec build() {
      return new TaskExecutionSpec(
          run,
          unit,
          target,
          item,
          items,
          itemIndices,
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
          released);
    }
  }
}
