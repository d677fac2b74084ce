package dev.drover.agent.output;

import dev.drover.agent.output.CallerCheck.Outcome;
import dev.drover.agent.output.CallerCheck.Verdict;
import dev.drover.api.DroverLabels;
import dev.drover.runtime.BearerTokens;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks the API server: a TokenReview says who holds the token, a SubjectAccessReview whether that
 * user may {@code get taskexecutions} in the namespace, the same right that reads an execution's
 * status. Verdicts are kept for a few seconds, so that a followed output and its retries cost the
 * API server one pair of reviews; a revoked right takes effect after at most that long.
 */
public final class KubernetesCallerCheck implements CallerCheck {
  static final Duration REMEMBERED = Duration.ofSeconds(10);
  private static final int MAX_REMEMBERED = 1000;

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Remembered> verdicts = new ConcurrentHashMap<>();

  private record Remembered(Verdict verdict, Instant until) {}

  public KubernetesCallerCheck(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public Verdict check(String token, String namespace) {
    if (token == null || token.isBlank()) {
      return new Verdict(
          Outcome.UNAUTHENTICATED,
          "a bearer token is required (Authorization: Bearer, or X-Drover-Token through a proxy)");
    }
    String key = BearerTokens.fingerprint(token) + "/" + namespace;
    Remembered remembered = verdicts.get(key);
    Instant now = clock.instant();
    if (remembered != null && now.isBefore(remembered.until())) {
      return remembered.verdict();
    }
    Verdict verdict;
    try {
      verdict = ask(token, namespace);
    } catch (KubernetesClientException e) {
      return new Verdict(
          Outcome.UNAVAILABLE, "cannot check the token with the API server: " + e.getMessage());
    }
    if (verdicts.size() >= MAX_REMEMBERED) {
      verdicts.clear();
    }
    verdicts.put(key, new Remembered(verdict, now.plus(REMEMBERED)));
    return verdict;
  }

  private Verdict ask(String token, String namespace) {
    TokenReview review =
        client
            .resource(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build())
            .create();
    if (review.getStatus() == null || !Boolean.TRUE.equals(review.getStatus().getAuthenticated())) {
      return new Verdict(Outcome.UNAUTHENTICATED, "the API server does not accept this token");
    }
    UserInfo user = review.getStatus().getUser();
    SubjectAccessReview access =
        client
            .resource(
                new SubjectAccessReviewBuilder()
                    .withNewSpec()
                    .withUser(user.getUsername())
                    .withUid(user.getUid())
                    .withGroups(user.getGroups())
                    .withExtra(user.getExtra())
                    .withNewResourceAttributes()
                    .withGroup(DroverLabels.GROUP)
                    .withResource("taskexecutions")
                    .withVerb("get")
                    .withNamespace(namespace)
                    .endResourceAttributes()
                    .endSpec()
                    .build())
            .create();
    if (access.getStatus() != null && Boolean.TRUE.equals(access.getStatus().getAllowed())) {
      return Verdict.allowed();
    }
    return new Verdict(
        Outcome.FORBIDDEN,
        user.getUsername() + " may not get taskexecutions.drover.dev in namespace " + namespace);
  }
}
