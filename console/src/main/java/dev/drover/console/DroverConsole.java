package dev.drover.console;

import dev.drover.console.agents.AgentsFeature;
import dev.drover.console.auth.CallerClients;
import dev.drover.console.auth.Csrf;
import dev.drover.console.auth.Guard;
import dev.drover.console.auth.KubernetesReviews;
import dev.drover.console.auth.SessionFeature;
import dev.drover.console.cluster.ClusterCache;
import dev.drover.console.flows.FlowsFeature;
import dev.drover.console.live.EventStream;
import dev.drover.console.overview.OverviewFeature;
import dev.drover.console.runs.RunsFeature;
import dev.drover.console.schedules.SchedulesFeature;
import dev.drover.console.tasks.TasksFeature;
import dev.drover.console.web.Assets;
import dev.drover.console.web.Features;
import dev.drover.console.web.Layout;
import dev.drover.console.web.Routes;
import dev.drover.runtime.Health;
import dev.drover.runtime.HttpEndpoints;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;

/** The console's parts put together: the cache, the guard, and every feature's routes. */
public final class DroverConsole implements AutoCloseable {
  private final ClusterCache cache;
  private final Routes routes;
  private final PrometheusMeterRegistry registry;

  private DroverConsole(ClusterCache cache, Routes routes, PrometheusMeterRegistry registry) {
    this.cache = cache;
    this.routes = routes;
    this.registry = registry;
  }

  /**
   * @param authenticationOff everyone acts as the client's identity ({@code --auth none})
   */
  public static DroverConsole start(
      KubernetesClient client,
      Clock clock,
      boolean authenticationOff,
      boolean readOnly,
      boolean secureCookie,
      Duration patience)
      throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    ClusterCache cache = new ClusterCache(client);
    cache.start(patience);
    Guard guard;
    if (authenticationOff) {
      guard = Guard.authenticationOff(readOnly);
    } else {
      KubernetesReviews reviews = new KubernetesReviews(client, clock);
      guard = new Guard(reviews, reviews, new Csrf(), false, readOnly);
    }
    Layout layout = new Layout(guard);
    Features features =
        new Features(cache, guard, new CallerClients(client), layout, clock, client);
    Routes routes = new Routes(guard, registry).errorPage(layout::error);
    new SessionFeature(guard, layout, secureCookie).register(routes);
    new OverviewFeature(features).register(routes);
    new RunsFeature(features).register(routes);
    new AgentsFeature(features).register(routes);
    new SchedulesFeature(features).register(routes);
    new FlowsFeature(features).register(routes);
    new TasksFeature(features).register(routes);
    routes
        .get("/api/v1/events", new EventStream(cache, guard))
        .open("GET", "/api/openapi.json", request -> Assets.resource("openapi.json"))
        .open("GET", "/static/{name}", Assets.serve("static"));
    return new DroverConsole(cache, routes, registry);
  }

  public Routes routes() {
    return routes;
  }

  /** Serves the pages and the API beside the probes and metrics. */
  public void serveOn(HttpEndpoints endpoints) {
    endpoints
        .route("/", routes)
        .serve(
            Health::ok,
            () ->
                cache.isWatching()
                    ? Health.ok()
                    : Health.failing("the informers are not watching the API server"),
            registry::scrape);
  }

  /** Stops the informers; the client belongs to whoever made it. */
  @Override
  public void close() {
    cache.close();
  }
}
