package dev.drover.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.runtime.Health;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperatorHealthTest {
  private static final Duration STALL_TIMEOUT = Duration.ofMinutes(2);
  private static final String SOURCE = "taskrun/ControllerEventSource";
  private static final Health API_DOWN = Health.failing("the API server is unreachable");

  private final ReportedControllers controllers = new ReportedControllers();
  private final ManualClock clock = new ManualClock();
  private Health apiServer = Health.ok();
  private final OperatorHealth health =
      new OperatorHealth(controllers, () -> apiServer, clock, STALL_TIMEOUT);

  @Test
  void readyOnceStartedWithHealthyEventSourcesAndAnAnsweringApiServer() {
    controllers.started = true;

    assertThat(health.readiness()).isEqualTo(Health.ok());
    assertThat(health.liveness()).isEqualTo(Health.ok());
  }

  @Test
  void notReadyButAliveWhileStarting() {
    assertThat(health.readiness().problems())
        .containsExactly("the operator has not started (its informers are not synced yet)");
    assertThat(health.liveness()).isEqualTo(Health.ok());
  }

  @Test
  void notReadyWhileAnEventSourceIsUnhealthyNamingIt() {
    controllers.started = true;
    controllers.unhealthy.add(SOURCE);

    assertThat(health.readiness().problems()).containsExactly(SOURCE + " is unhealthy");
  }

  @Test
  void notReadyWhileTheApiServerDoesNotAnswerButAliveHoweverLongItLasts() {
    controllers.started = true;
    controllers.unhealthy.add(SOURCE);
    apiServer = API_DOWN;

    assertThat(health.readiness().problems())
        .containsExactly(SOURCE + " is unhealthy", "the API server is unreachable");
    clock.advance(Duration.ofMinutes(30));
    assertThat(health.liveness()).isEqualTo(Health.ok());
  }

  @Test
  void notAliveOnceEventSourcesStayUnhealthyForTheStallTimeoutWhileTheApiServerAnswers() {
    controllers.started = true;
    controllers.unhealthy.add(SOURCE);
    assertThat(health.liveness()).isEqualTo(Health.ok());

    clock.advance(STALL_TIMEOUT.minusSeconds(1));
    assertThat(health.liveness()).isEqualTo(Health.ok());

    clock.advance(Duration.ofSeconds(1));
    assertThat(health.liveness().problems())
        .containsExactly(
            "event sources unhealthy for 120 s while the API server answered: " + SOURCE);
  }

  @Test
  void anApiServerOutageStartsTheStallTimeoutAfresh() {
    stallFor(Duration.ofSeconds(100));

    apiServer = API_DOWN;
    health.liveness();
    apiServer = Health.ok();

    assertThat(livenessAfter(Duration.ofSeconds(100))).isEqualTo(Health.ok());
  }

  @Test
  void eventSourcesThatRecoverStartTheStallTimeoutAfresh() {
    stallFor(Duration.ofSeconds(100));

    controllers.unhealthy.clear();
    health.readiness();
    controllers.unhealthy.add(SOURCE);

    assertThat(livenessAfter(Duration.ofSeconds(100))).isEqualTo(Health.ok());
  }

  @Test
  void notAliveOnceStopped() {
    controllers.started = true;
    health.liveness();

    controllers.started = false;

    assertThat(health.liveness().problems()).containsExactly("the operator has stopped");
  }

  /** Started, with an event source unhealthy for {@code duration} while the API server answers. */
  private void stallFor(Duration duration) {
    controllers.started = true;
    controllers.unhealthy.add(SOURCE);
    health.liveness();
    clock.advance(duration);
  }

  private Health livenessAfter(Duration duration) {
    health.liveness();
    clock.advance(duration);
    return health.liveness();
  }

  /** What the SDK would report, set by each test. */
  private static final class ReportedControllers implements Controllers {
    boolean started;
    final List<String> unhealthy = new ArrayList<>();

    @Override
    public boolean started() {
      return started;
    }

    @Override
    public List<String> unhealthyEventSources() {
      return List.copyOf(unhealthy);
    }
  }
}
