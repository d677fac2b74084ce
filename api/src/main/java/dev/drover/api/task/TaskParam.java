package dev.drover.api.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** One input of a Task template. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskParam(
    @Required @Pattern("^[A-Za-z_][A-Za-z0-9_-]*$") String name,
    String description,
    @JsonPropertyDescription("A run that gives no value fails InvalidSpec.") Boolean required,
    @JsonProperty("default") @JsonPropertyDescription("The value when a run gives none.")
        String defaultValue,
    @JsonProperty("enum") @JsonPropertyDescription("The only values allowed, when set.")
        List<String> allowed) {

  public boolean isRequired() {
    return Boolean.TRUE.equals(required);
  }
}
