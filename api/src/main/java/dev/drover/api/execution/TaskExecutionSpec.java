package dev.drover.api.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.drover.api.EnvEntry;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskExecutionSpec(
    @Required String run,
    @Required @JsonPropertyDescription("The unit of work: an agent name (Broadcast), item-N (Distribute) or single.")
        String unit,
    @JsonPropertyDescription("The agent a Broadcast unit belongs to.") String target,
    String item,
    @Required @Min(1) Integer attempt,
    @JsonPropertyDescription("The agent that runs this attempt; empty until dispatched.") String agent,
    List<String> command,
    List<String> args,
    String script,
    List<EnvEntry> env,
    String workingDir,
    Long timeoutSeconds,
    @JsonPropertyDescription("Set by the operator to stop the attempt.") Boolean cancel) {

  public boolean cancelRequested() {
    return Boolean.TRUE.equals(cancel);
  }

  public TaskExecutionSpec dispatchedTo(String agentName) {
    return new TaskExecutionSpec(
        run, unit, target, item, attempt, agentName, command, args, script, env, workingDir, timeoutSeconds, cancel);
  }
}
