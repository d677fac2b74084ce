package dev.drover.api.taskrun;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** Names a Task template in the run's namespace and the values of its params. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskRef(
    @Required @JsonPropertyDescription("The Task, in the same namespace.") String name,
    @JsonPropertyDescription(
            "Param values by name; $(item) in a value stands for the unit's item, $$ for a $.")
        Map<String, String> params) {

  public Map<String, String> paramsOrEmpty() {
    return params == null ? Map.of() : params;
  }
}
