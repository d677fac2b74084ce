package dev.drover.agent.fencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The keeper with a fake Lease and a record of what it did to the work, in order. */
class LeaseKeeperTest {
  private static final Duration FENCE_AFTER = Duration.ofSeconds(40);
  private static final String BREACH = "the agent could not renew its Lease for 40s";

  private final ManualTime time = new ManualTime();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final CountDownLatch hung = new CountDownLatch(1);
  private volatile boolean leaseReachable = true;
  private volatile boolean hangAfterFirstRenewal;
  private LeaseKeeper keeper = keeper(FENCE_AFTER, Duration.ofHours(1));

  @AfterEach
  void stop() {
    hung.countDown();
    keeper.close();
  }

  @Test
  void renewalsFailingUntilTheDeadlineFenceTheWorkOnce() {
    leaseReachable = false;
    time.advance(FENCE_AFTER.minusMillis(1));
    keeper.renew();
    assertThat(events).containsExactly("renewal");

    time.advance(Duration.ofMillis(1));
    keeper.renew();
    keeper.renew();

    assertThat(events).containsExactly("renewal", "fenced: " + BREACH, "renewal", "renewal");
  }

  @Test
  void aLongPauseIsSeenBeforeTheFirstRenewalAfterIt() {
    time.advance(Duration.ofMinutes(5)); // stopped, then continued: the renewal would succeed

    keeper.renew();

    assertThat(events)
        .containsExactly(
            "fenced: the agent could not renew its Lease for 300s", "renewal", "unfenced");
  }

  @Test
  void aRenewalLiftsTheFenceAndStartsAFreshDeadline() {
    leaseReachable = false;
    time.advance(FENCE_AFTER);
    keeper.renew();

    leaseReachable = true;
    keeper.renew();
    time.advance(FENCE_AFTER.minusMillis(1));
    keeper.renew();

    assertThat(events)
        .containsExactly("fenced: " + BREACH, "renewal", "renewal", "unfenced", "renewal");
  }

  @Test
  void successfulRenewalsNeverFence() {
    for (int i = 0; i < 10; i++) {
      keeper.renew();
      time.advance(FENCE_AFTER.minusMillis(1));
    }

    assertThat(events).containsOnly("renewal");
  }

  @Test
  void theDeadlineIsWatchedWhileARenewalHangs() {
    keeper = keeper(Duration.ofMillis(200), Duration.ofMillis(50));
    hangAfterFirstRenewal = true;
    keeper.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);

    time.advance(Duration.ofSeconds(1));

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(events)
                    .containsExactly(
                        "renewal",
                        "renewal",
                        "fenced: the agent could not renew its Lease for 1s"));
  }

  private LeaseKeeper keeper(Duration fenceAfter, Duration every) {
    return new LeaseKeeper(
        time.fence(fenceAfter),
        this::renewal,
        why -> events.add("fenced: " + why),
        () -> events.add("unfenced"),
        every);
  }

  private boolean renewal() {
    events.add("renewal");
    if (hangAfterFirstRenewal && events.size() > 1) {
      awaitRelease();
    }
    return leaseReachable;
  }

  private void awaitRelease() {
    try {
      hung.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
