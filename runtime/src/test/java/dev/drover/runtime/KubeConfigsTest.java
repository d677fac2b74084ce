package dev.drover.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import org.junit.jupiter.api.Test;

class KubeConfigsTest {

  @Test
  void aCertificateOnlyConfigurationHasNoTokenToRefresh() {
    Config config =
        KubeConfigs.adjusted(
            new ConfigBuilder().withClientCertData("cert").withClientKeyData("key").build());

    assertThat(config.getOauthTokenProvider()).isNotNull();
    assertThat(config.getOauthTokenProvider().getToken()).isNull();
  }

  @Test
  void aConfigurationWithATokenKeepsRefreshingIt() {
    Config fromServiceAccount = new ConfigBuilder().withClientCertData("cert").build();
    fromServiceAccount.setAutoOAuthToken("service-account-token");

    assertThat(KubeConfigs.adjusted(fromServiceAccount).getOauthTokenProvider()).isNull();
    assertThat(
            KubeConfigs.adjusted(new ConfigBuilder().withOauthToken("token").build())
                .getOauthTokenProvider())
        .isNull();
  }
}
