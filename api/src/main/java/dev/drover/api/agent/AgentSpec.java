package dev.drover.api.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentSpec(
    @Required
        @Min(1)
        @JsonPropertyDescription(
            "How many executions the agent runs at once; the rest wait as Queued.")
        Integer capacity,
    @Required
        @JsonPropertyDescription(
            "Namespaces whose TaskExecutions the agent accepts (an explicit allow-list).")
        List<String> namespaces,
    @JsonPropertyDescription("Host the agent runs on.") String hostname,
    @JsonPropertyDescription("Agent software version.") String version,
    @JsonPropertyDescription("Name of the Lease the agent renews to prove it is alive.")
        String leaseName,
    @JsonPropertyDescription("Namespace of that Lease.") String leaseNamespace,
    @JsonPropertyDescription("When true no new work is dispatched to the agent (cordon).")
        Boolean unschedulable) {

  public boolean serves(String namespace) {
    return namespaces != null && (namespaces.contains(namespace) || namespaces.contains("*"));
  }

  public boolean cordoned() {
    return Boolean.TRUE.equals(unschedulable);
  }
}
