package dev.drover.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** One environment variable given to the command. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvEntry(@Required String name, String value) {}
