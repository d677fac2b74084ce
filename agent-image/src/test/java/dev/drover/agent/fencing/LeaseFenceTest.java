package dev.drover.agent.fencing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.agent.fencing.LeaseFence.Moment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeaseFenceTest {
  private static final Duration FENCE_AFTER = Duration.ofSeconds(40);

  private final ManualTime time = new ManualTime();
  private final LeaseFence fence = time.fence(FENCE_AFTER);

  @Test
  void aNewAgentHasTheFenceDurationToRenewForTheFirstTime() {
    time.advance(FENCE_AFTER.minusMillis(1));
    assertThat(fence.breached()).isEmpty();
    assertThat(fence.remaining()).isEqualTo(Duration.ofMillis(1));

    time.advance(Duration.ofMillis(1));
    assertThat(fence.breached()).contains("the agent could not renew its Lease for 40s");
  }

  @Test
  void aRenewalMovesTheDeadlineToAFenceDurationAfterItWasSent() {
    time.advance(Duration.ofSeconds(30));
    Moment sent = fence.now();
    time.advance(Duration.ofSeconds(5)); // the request took a while
    fence.renewed(sent);

    time.advance(Duration.ofSeconds(34));
    assertThat(fence.breached()).isEmpty();
    time.advance(Duration.ofSeconds(1));
    assertThat(fence.breached()).contains("the agent could not renew its Lease for 40s");
  }

  @Test
  void theBreachSaysHowLongTheLeaseWentUnrenewed() {
    time.advance(Duration.ofMinutes(5));

    assertThat(fence.breached()).contains("the agent could not renew its Lease for 300s");
    assertThat(fence.remaining()).isEqualTo(Duration.ofSeconds(-260));
  }

  @Test
  void aWallClockSteppedBackDoesNotHideAGap() {
    time.stepWallClockBack(Duration.ofMinutes(10), FENCE_AFTER);

    assertThat(fence.breached()).isPresent();
  }

  @Test
  void aSuspendedHostDoesNotHideAGap() {
    time.suspend(FENCE_AFTER);

    assertThat(fence.breached()).isPresent();
  }
}
