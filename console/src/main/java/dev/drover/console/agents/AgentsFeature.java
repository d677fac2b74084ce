package dev.drover.console.agents;

import static dev.drover.console.web.Html.esc;
import static dev.drover.console.web.Html.url;

import dev.drover.api.agent.Agent;
import dev.drover.api.steer.SteeringPatches;
import dev.drover.console.cluster.Agents;
import dev.drover.console.cluster.ClusterCache;
import dev.drover.console.query.ObjectFilter;
import dev.drover.console.query.Paging;
import dev.drover.console.query.Paging.Page;
import dev.drover.console.query.SortKey;
import dev.drover.console.web.ActionReply;
import dev.drover.console.web.Features;
import dev.drover.console.web.Html;
import dev.drover.console.web.HttpError;
import dev.drover.console.web.Json;
import dev.drover.console.web.Request;
import dev.drover.console.web.Response;
import dev.drover.console.web.Routes;
import dev.drover.console.web.Times;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Agents: who is Ready, how busy, which version; cordon keeps new work off one (the operator
 * dispatches nothing to an agent with {@code spec.unschedulable: true}), uncordon brings it back.
 */
public final class AgentsFeature {

  private final Features features;

  public AgentsFeature(Features features) {
    this.features = features;
  }

  public void register(Routes routes) {
    routes
        .get("/api/v1/agents", request -> Json.ok(agents(request).body()))
        .get("/api/v1/agents/{name}", request -> Json.ok(agent(request)))
        .post("/api/v1/agents/{name}/cordon", request -> cordon(request, true))
        .post("/api/v1/agents/{name}/uncordon", request -> cordon(request, false))
        .get("/agents", this::page);
  }

  private Page<Agent> agents(Request request) {
    features.guard().require(request.caller(), "list", "agents", "");
    return Paging.of(request.queryParams())
        .of(
            ObjectFilter.of(request.queryParams())
                .applyClusterScoped(
                    features.cache().agents(),
                    agent -> agent.getSpec() == null ? null : agent.getSpec().hostname())
                .sorted(java.util.Comparator.comparing(SortKey::byName, SortKey.ORDER))
                .toList(),
            SortKey::byName);
  }

  private Agent agent(Request request) {
    String name = request.pathPart("name");
    features.guard().require(request.caller(), "get", "agents", "");
    return features
        .cache()
        .agent(name)
        .orElseThrow(() -> HttpError.notFound("agent \"" + name + "\" not found"));
  }

  private Response cordon(Request request, boolean cordon) throws IOException {
    Agent agent = agent(request);
    features.guard().require(request.caller(), "patch", "agents", "");
    features
        .clients()
        .mergePatch(
            request.caller(),
            Agent.class,
            null,
            agent.getMetadata().getName(),
            SteeringPatches.unschedulable(cordon));
    return ActionReply.done(
        request, Map.of(cordon ? "cordoned" : "uncordoned", agent.getMetadata().getName()));
  }

  private Response page(Request request) {
    Page<Agent> page = agents(request);
    Instant now = features.clock().instant();
    List<String[]> rows = new ArrayList<>();
    for (Agent agent : page.items()) {
      String name = agent.getMetadata().getName();
      var status = agent.getStatus();
      boolean cordoned = Agents.cordoned(agent);
      String api = "/api/v1/agents/" + url(name);
      rows.add(
          new String[] {
            esc(name),
            esc(labels(agent)),
            Html.phase(Agents.ready(agent) ? "Ready" : "NotReady")
                + (cordoned ? " <span class=\"phase phase-Cordoned\">Cordoned</span>" : ""),
            esc(status == null ? "" : Times.age(status.getLastHeartbeatTime(), now)),
            esc(
                (status == null || status.getRunning() == null ? 0 : status.getRunning())
                    + " / "
                    + (agent.getSpec() == null ? "?" : agent.getSpec().capacity())),
            esc(agent.getSpec() == null ? null : agent.getSpec().version()),
            cordoned
                ? features
                    .layout()
                    .action(
                        request.caller(),
                        api + "/uncordon",
                        "Uncordon",
                        "/agents",
                        "uncordon-" + name)
                : features
                    .layout()
                    .action(
                        request.caller(), api + "/cordon", "Cordon", "/agents", "cordon-" + name)
          });
    }
    String main =
        "<h1>Agents</h1><p class=\"count\" id=\"agent-count\">"
            + page.total()
            + (page.total() == 1 ? " agent" : " agents")
            + "</p>"
            + Html.table(
                "agents",
                new String[] {
                  "Name", "Labels", "State", "Heartbeat", "Running / capacity", "Version", ""
                },
                rows);
    return features.layout().page(request, "Agents", "Agent", main);
  }

  private static String labels(Agent agent) {
    return ClusterCache.labels(agent).entrySet().stream()
        .map(entry -> entry.getKey() + "=" + entry.getValue())
        .sorted()
        .collect(Collectors.joining(", "));
  }
}
