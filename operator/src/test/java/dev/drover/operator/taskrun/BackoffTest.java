package dev.drover.operator.taskrun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.taskrun.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void theWaitGrowsByTheFactorFromTheFirstRetryAndStopsAtTheCap() {
    RetryPolicy policy = new RetryPolicy(10, 10, 2.0, 60);

    assertThat(Backoff.before(1, policy)).isEqualTo(Duration.ZERO);
    assertThat(Backoff.before(2, policy)).isEqualTo(Duration.ofSeconds(10));
    assertThat(Backoff.before(3, policy)).isEqualTo(Duration.ofSeconds(20));
    assertThat(Backoff.before(4, policy)).isEqualTo(Duration.ofSeconds(40));
    assertThat(Backoff.before(5, policy)).isEqualTo(Duration.ofSeconds(60));
    assertThat(Backoff.before(50, policy)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void unsetFieldsTakeTheDocumentedDefaults() {
    RetryPolicy policy = new RetryPolicy(3, null, null, null);

    assertThat(Backoff.before(2, policy)).isEqualTo(Duration.ofSeconds(10));
    assertThat(Backoff.before(3, policy)).isEqualTo(Duration.ofSeconds(20));
    assertThat(Backoff.before(20, policy)).isEqualTo(Duration.ofSeconds(300));
  }
}
