package dev.drover.api.flow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskFlowSpec(
    @JsonPropertyDescription(
            "On the first unhandled failure start no new task (finally still runs); default true.")
        Boolean failFast,
    @Min(1) @JsonPropertyDescription("Most task runs of this flow running at once (default: all).")
        Integer parallelism,
    @Min(1) @JsonPropertyDescription("Limit of the whole flow, in seconds.")
        Long activeDeadlineSeconds,
    @JsonPropertyDescription("Set to true to cancel running tasks; finally still runs.")
        Boolean cancel,
    @Required @Size(min = 1, max = 200) List<FlowTask> tasks,
    @JsonProperty("finally")
        @Size(max = 50)
        @JsonPropertyDescription("Tasks run after every other task has settled, whatever happened.")
        List<FlowTask> finallyTasks) {

  public boolean failFastOrDefault() {
    return failFast == null || failFast;
  }

  public boolean cancelRequested() {
    return Boolean.TRUE.equals(cancel);
  }

  public List<FlowTask> tasksOrEmpty() {
    return tasks == null ? List.of() : tasks;
  }

  public List<FlowTask> finallyOrEmpty() {
    return finallyTasks == null ? List.of() : finallyTasks;
  }
}
