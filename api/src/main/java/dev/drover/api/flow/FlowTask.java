package dev.drover.api.flow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.drover.api.taskrun.TaskRef;
import dev.drover.api.taskrun.TaskRunSpec;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** One node of a flow; it runs as a TaskRun owned by the flow. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FlowTask(
    @Required
        @Pattern("^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$")
        @JsonPropertyDescription("Unique in the flow; a DNS label of at most 40 characters.")
        String name,
    @JsonPropertyDescription("Tasks that must have succeeded first.") List<String> dependsOn,
    @JsonPropertyDescription(
            "Instead of dependsOn: a condition over other tasks' outcomes, e.g. \"a.Failed ||"
                + " (b.Succeeded && !c.Skipped)\"; states are Succeeded, Failed, Skipped, Done.")
        String depends,
    @JsonPropertyDescription("Guards; the task is Skipped when any is false.")
        List<WhenExpression> when,
    @JsonPropertyDescription("A Task template to run; spec fields set here override it.")
        TaskRef taskRef,
    @JsonPropertyDescription(
            "The TaskRun spec (or, with taskRef, the fields that override the template).")
        TaskRunSpec spec,
    @JsonPropertyDescription(
            "$(tasks.NAME.result) of a task holding a JSON array: one Distribute item per"
                + " element, seen as $(item).")
        String itemsFrom,
    @JsonPropertyDescription("A failure of this task does not fail the flow.")
        Boolean continueOnFailure) {

  public List<String> dependsOnOrEmpty() {
    return dependsOn == null ? List.of() : dependsOn;
  }

  public List<WhenExpression> whenOrEmpty() {
    return when == null ? List.of() : when;
  }

  public boolean continuesOnFailure() {
    return Boolean.TRUE.equals(continueOnFailure);
  }
}
