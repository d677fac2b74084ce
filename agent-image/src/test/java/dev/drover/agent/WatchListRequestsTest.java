package dev.drover.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import org.junit.jupiter.api.Test;

class WatchListRequestsTest {

  @Test
  void theListsBehindAWatchWaitLongerThanAWriteAndKeepEveryOtherSetting() {
    RequestConfig configured =
        new RequestConfigBuilder()
            .withRequestTimeout(10_000)
            .withImpersonateUsername("drover-agent")
            .withRequestRetryBackoffLimit(3)
            .build();

    RequestConfig forLists = DroverAgent.forWatchLists(configured);

    assertThat(forLists.getRequestTimeout()).isEqualTo(120_000);
    assertThat(forLists.getImpersonateUsername()).isEqualTo("drover-agent");
    assertThat(forLists.getRequestRetryBackoffLimit()).isEqualTo(3);
    assertThat(configured.getRequestTimeout()).isEqualTo(10_000);
  }
}
