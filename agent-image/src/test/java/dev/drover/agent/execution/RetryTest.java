package dev.drover.agent.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.agent.execution.StatusReporter.Retry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryTest {
  @Test
  void theDefaultRetryRidesOutAboutAMinuteOfOutageIn8Attempts() {
    assertThat(Retry.DEFAULT.waits())
        .containsExactly(
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8),
            Duration.ofSeconds(16),
            Duration.ofSeconds(30));
  }

  @Test
  void retryWaitsMustStartAboveZero() {
    assertThatThrownBy(() -> new Retry(Duration.ZERO, Duration.ofSeconds(1), Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
