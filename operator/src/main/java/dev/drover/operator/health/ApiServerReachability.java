package dev.drover.operator.health;

import dev.drover.runtime.Health;
import dev.drover.runtime.HealthCheck;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.URLUtils;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether the API server answers {@code GET /version}, the cheapest request it serves. Each answer
 * is reused for a second, so that frequent probes never pile requests up on a slow API server.
 */
public final class ApiServerReachability implements HealthCheck {
  static final Duration TIMEOUT = Duration.ofSeconds(2);
  static final Duration REUSED_FOR = Duration.ofSeconds(1);

  private final KubernetesClient client;
  private final Clock clock;
  private Health last;
  private Instant lastAsked;

  public ApiServerReachability(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public synchronized Health check() {
    if (last == null || !clock.instant().isBefore(lastAsked.plus(REUSED_FOR))) {
      last = ask();
      lastAsked = clock.instant();
    }
    return last;
  }

  private Health ask() {
    HttpRequest request =
        client
            .getHttpClient()
            .newHttpRequestBuilder()
            .uri(URLUtils.join(client.getMasterUrl().toString(), "version"))
            .timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .build();
    // The client retries failed requests with a backoff; the probe waits no longer than TIMEOUT.
    CompletableFuture<HttpResponse<String>> response =
        client.getHttpClient().sendAsync(request, String.class);
    try {
      int code = response.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).code();
      return code == 200
          ? Health.ok()
          : Health.failing("the API server answered GET /version with HTTP " + code);
    } catch (TimeoutException e) {
      response.cancel(true);
      return Health.failing(
          "the API server did not answer GET /version within " + TIMEOUT.toSeconds() + " s");
    } catch (ExecutionException e) {
      return Health.failing("the API server is unreachable: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.failing("interrupted while asking the API server");
    }
  }
}
