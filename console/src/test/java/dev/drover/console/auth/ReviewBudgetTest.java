package dev.drover.console.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReviewBudgetTest {
  private static Clock at(String instant) {
    return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
  }

  @Test
  void aSecondAllowsAsManyReviewsAsTheBudgetAndNoMore() {
    ReviewBudget budget = new ReviewBudget(at("2026-11-28T10:00:00.100Z"), 3);

    assertThat(IntStream.range(0, 5).mapToObj(i -> budget.take()))
        .containsExactly(true, true, true, false, false);
  }

  @Test
  void theNextSecondStartsAfresh() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00.900Z"));
    ReviewBudget budget = new ReviewBudget(clock, 1);
    assertThat(budget.take()).isTrue();
    assertThat(budget.take()).isFalse();

    clock.now = Instant.parse("2026-11-28T10:00:01.000Z");

    assertThat(budget.take()).isTrue();
  }

  private static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
