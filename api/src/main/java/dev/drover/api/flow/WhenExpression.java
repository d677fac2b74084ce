package dev.drover.api.flow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** A guard on a flow task: the task is Skipped unless the input is (or is not) among the values. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WhenExpression(
    @Required @JsonPropertyDescription("Text compared, e.g. $(tasks.check.result).") String input,
    @Required Operator operator,
    @Required List<String> values) {

  public enum Operator {
    In,
    NotIn
  }
}
