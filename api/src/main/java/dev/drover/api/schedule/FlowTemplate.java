package dev.drover.api.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.drover.api.flow.TaskFlowSpec;
import dev.drover.api.schedule.RunTemplate.TemplateMetadata;
import io.fabric8.generator.annotation.Required;

/** The TaskFlow each firing creates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FlowTemplate(TemplateMetadata metadata, @Required TaskFlowSpec spec) {}
