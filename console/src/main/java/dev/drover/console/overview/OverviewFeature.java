package dev.drover.console.overview;

import static dev.drover.console.web.Html.esc;
import static dev.drover.console.web.Html.url;

import dev.drover.api.agent.Agent;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.console.cluster.ClusterCache;
import dev.drover.console.web.Features;
import dev.drover.console.web.Html;
import dev.drover.console.web.Json;
import dev.drover.console.web.Request;
import dev.drover.console.web.Response;
import dev.drover.console.web.Routes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The first page: how things stand, from what the caller may see. */
public final class OverviewFeature {

  private final Features features;

  public OverviewFeature(Features features) {
    this.features = features;
  }

  public void register(Routes routes) {
    routes.get("/api/v1/overview", request -> Json.ok(figures(request))).get("/", this::page);
  }

  private OverviewFigures figures(Request request) {
    List<Agent> agents =
        features.guard().allows(request.caller(), "list", "agents", "")
            ? features.cache().agents()
            : null;
    return OverviewFigures.of(
        visible(request, "taskruns", features.cache().runs()),
        agents,
        visible(request, "scheduledtasks", features.cache().schedules()),
        features.clock().instant());
  }

  private <T extends HasMetadata> List<T> visible(
      Request request, String resource, List<T> objects) {
    Set<String> namespaces =
        features
            .guard()
            .visibleNamespaces(request.caller(), resource, ClusterCache.namespacesOf(objects));
    return objects.stream()
        .filter(object -> namespaces.contains(object.getMetadata().getNamespace()))
        .toList();
  }

  private Response page(Request request) {
    OverviewFigures figures = figures(request);
    StringBuilder main = new StringBuilder("<h1>Overview</h1><section class=\"tiles\">");
    main.append(tile("runs-hour", "Runs, last hour", figures.runsLastHour()))
        .append(tile("runs-day", "Runs, last day", figures.runsLastDay()));
    if (figures.agents() != null) {
      main.append("<div class=\"tile\" id=\"agents-tile\"><h2>Agents</h2><p>")
          .append(Html.phase("Ready"))
          .append(" <b id=\"agents-ready\">")
          .append(figures.agents().ready())
          .append("</b> ")
          .append(Html.phase("NotReady"))
          .append(" <b id=\"agents-not-ready\">")
          .append(figures.agents().notReady())
          .append("</b>")
          .append(
              figures.agents().cordoned() > 0
                  ? " · " + figures.agents().cordoned() + " cordoned"
                  : "")
          .append("</p></div>");
    }
    main.append("</section><h2>Latest failures</h2>");
    List<String[]> failures = new ArrayList<>();
    for (OverviewFigures.Failure failure : figures.latestFailures()) {
      failures.add(
          new String[] {
            Html.link(
                "/runs/" + url(failure.namespace()) + "/" + url(failure.name()), failure.name()),
            esc(failure.namespace()),
            esc(failure.finished()),
            esc(failure.message())
          });
    }
    main.append(
            Html.table(
                "failures", new String[] {"Run", "Namespace", "Finished", "Message"}, failures))
        .append("<h2>Schedules that missed or failed</h2>");
    List<String[]> troubled = new ArrayList<>();
    for (OverviewFigures.ScheduleTrouble trouble : figures.troubledSchedules()) {
      troubled.add(
          new String[] {
            Html.link(
                "/runs?namespace=" + url(trouble.namespace()) + "&schedule=" + url(trouble.name()),
                trouble.name()),
            esc(trouble.namespace()),
            esc(trouble.missed()),
            trouble.lastRun() == null
                ? ""
                : esc(trouble.lastRun()) + " " + Html.phase(trouble.lastPhase())
          });
    }
    main.append(
            Html.table(
                "troubled-schedules",
                new String[] {"Schedule", "Namespace", "Missed", "Last run"},
                troubled))
        .append("<h2>Schedule lateness (latest run of each)</h2>");
    List<String[]> late = new ArrayList<>();
    for (OverviewFigures.Lateness lateness : figures.lateness()) {
      late.add(
          new String[] {
            esc(lateness.schedule()),
            esc(lateness.namespace()),
            esc(lateness.run()),
            esc(String.format("%.3f s", lateness.seconds()))
          });
    }
    main.append(
        Html.table(
            "lateness", new String[] {"Schedule", "Namespace", "Run", "Started late by"}, late));
    return features
        .layout()
        .page(request, "Overview", "TaskRun Agent ScheduledTask", main.toString());
  }

  private static String tile(String id, String title, Map<RunPhase, Integer> counts) {
    StringBuilder tile =
        new StringBuilder("<div class=\"tile\" id=\"")
            .append(id)
            .append("\"><h2>")
            .append(esc(title))
            .append("</h2><ul>");
    counts.forEach(
        (phase, count) ->
            tile.append("<li>")
                .append(Html.phase(phase))
                .append(" <b data-phase=\"")
                .append(phase)
                .append("\">")
                .append(count)
                .append("</b></li>"));
    return tile.append("</ul></div>").toString();
  }
}
