package dev.drover.api.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.drover.api.taskrun.TaskRunSpec;
import io.fabric8.generator.annotation.Required;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskSpec(
    String description,
    List<TaskParam> params,
    @Required
        @JsonPropertyDescription(
            "A TaskRun spec; $(params.NAME) is replaced in every string field, and reaches"
                + " commands and scripts as data, never as code.")
        TaskRunSpec template) {

  public List<TaskParam> paramsOrEmpty() {
    return params == null ? List.of() : params;
  }
}
