package dev.drover.api.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskStatus(
    @JsonPropertyDescription("What is wrong with the template; runs that use it fail InvalidSpec.")
        List<String> problems,
    List<Condition> conditions,
    Long observedGeneration) {}
