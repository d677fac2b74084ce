package dev.drover.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentSettingsTest {
  private static final Duration LEASE = Duration.ofSeconds(40);

  @Test
  void theAgentFencesAtTheLeaseDurationUnlessToldOtherwise() {
    AgentSettings settings =
        new AgentSettings(
            "node-a",
            Map.of(),
            List.of("ops"),
            4,
            4096,
            "drover-system",
            LEASE,
            Duration.ofSeconds(30),
            "node-a.example",
            "test");

    assertThat(settings.fenceAfter()).isEqualTo(LEASE);
  }

  @Test
  void theAgentMayFenceEarlierThanTheLeaseDuration() {
    assertThat(fencingAfter(Duration.ofSeconds(30)).fenceAfter()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void theAgentMayNotFenceLaterThanTheOperatorRetriesItsWorkElsewhere() {
    assertThatThrownBy(() -> fencingAfter(Duration.ofSeconds(41)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--fence-after (41s) must not exceed --lease-duration (40s): the agent must stop its"
                + " work before the operator retries it elsewhere");
  }

  @Test
  void theAgentMayNotFenceBetweenTwoRenewals() {
    assertThatThrownBy(() -> fencingAfter(Duration.ofSeconds(13)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--fence-after (13s) must be longer than the Lease renewal interval (a third of"
                + " --lease-duration, 13.333s), or the agent would stop its work between two"
                + " renewals");
  }

  private static AgentSettings fencingAfter(Duration fenceAfter) {
    return new AgentSettings(
        "node-a",
        Map.of(),
        List.of("ops"),
        4,
        4096,
        "drover-system",
        LEASE,
        fenceAfter,
        Duration.ofSeconds(30),
        "node-a.example",
        "test");
  }
}
