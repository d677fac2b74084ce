package dev.drover.operator.health;

import dev.drover.runtime.Health;
import dev.drover.runtime.HealthCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the operator's probes check. Ready: the operator has started, its event sources are healthy
 * and the API server answers. Alive: unless it has stopped, or its event sources have stayed
 * unhealthy for {@code stallTimeout} while the API server answered. An API server outage never
 * fails liveness: restarting the operator would not bring the API server back.
 */
public final class OperatorHealth {
  private final Controllers controllers;
  private final HealthCheck apiServer;
  private final Clock clock;
  private final Duration stallTimeout;
  private boolean startedOnce;
  private Instant stalledSince;

  public OperatorHealth(
      Controllers controllers, HealthCheck apiServer, Clock clock, Duration stallTimeout) {
    this.controllers = controllers;
    this.apiServer = apiServer;
    this.clock = clock;
    this.stallTimeout = stallTimeout;
  }

  public synchronized Health readiness() {
    Observation now = observe();
    List<String> problems = new ArrayList<>();
    if (!now.started()) {
      problems.add("the operator has not started (its informers are not synced yet)");
    }
    now.unhealthyEventSources().forEach(source -> problems.add(source + " is unhealthy"));
    problems.addAll(now.apiServer().problems());
    return new Health(problems);
  }

  public synchronized Health liveness() {
    Observation now = observe();
    if (startedOnce && !now.started()) {
      return Health.failing("the operator has stopped");
    }
    if (stalledSince != null) {
      Duration stalled = Duration.between(stalledSince, clock.instant());
      if (stalled.compareTo(stallTimeout) >= 0) {
        return Health.failing(
            "event sources unhealthy for "
                + stalled.toSeconds()
                + " s while the API server answered: "
                + String.join(", ", now.unhealthyEventSources()));
      }
    }
    return Health.ok();
  }

  /**
   * Looks at the controllers and the API server, and keeps track of how long the event sources have
   * been unhealthy while the API server answered: the only state a restart may cure.
   */
  private Observation observe() {
    boolean started = controllers.started();
    startedOnce |= started;
    List<String> unhealthy = started ? controllers.unhealthyEventSources() : List.of();
    Health api = apiServer.check();
    if (unhealthy.isEmpty() || !api.isOk()) {
      stalledSince = null;
    } else if (stalledSince == null) {
      stalledSince = clock.instant();
    }
    return new Observation(started, unhealthy, api);
  }

  private record Observation(
      boolean started, List<String> unhealthyEventSources, Health apiServer) {}
}
