package dev.drover.api.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.drover.api.taskrun.TaskRunSpec;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** The TaskRun each firing creates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunTemplate(TemplateMetadata metadata, @Required TaskRunSpec spec) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TemplateMetadata(Map<String, String> labels, Map<String, String> annotations) {}
}
