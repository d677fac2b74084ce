package dev.drover.console.auth;

import dev.drover.api.DroverLabels;
import dev.drover.console.web.HttpError;
import dev.drover.runtime.BearerTokens;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * Authentication by TokenReview and authorisation by SubjectAccessReview, both answered by the API
 * server with the console's own ServiceAccount (which may create reviews and nothing else that
 * writes).
 */
public final class KubernetesReviews implements Authenticator, Access {
  /** TokenReviews of tokens not remembered, at most, each second. */
  static final int NEW_TOKENS_PER_SECOND = 50;

  private static final Set<String> CORE_RESOURCES = Set.of("events", "pods", "pods/log");

  private final KubernetesClient client;
  private final Remembered<Optional<Caller>> callers;
  private final Remembered<Boolean> decisions;
  private final ReviewBudget newTokens;

  public KubernetesReviews(KubernetesClient client, Clock clock) {
    this.client = client;
    this.newTokens = new ReviewBudget(clock, NEW_TOKENS_PER_SECOND);
    this.callers = new Remembered<>(clock);
    this.decisions = new Remembered<>(clock);
  }

  @Override
  public Optional<Caller> authenticate(String token, boolean fromCookie) {
    return callers
        .get(BearerTokens.fingerprint(token), () -> review(token))
        .map(
            caller ->
                new Caller(
                    caller.user(),
                    caller.uid(),
                    caller.groups(),
                    caller.extra(),
                    token,
                    fromCookie));
  }

  private Optional<Caller> review(String token) {
    if (!newTokens.take()) {
      throw new HttpError(
          503, "too many unknown tokens at once for the API server to review; try again shortly");
    }
    TokenReview review =
        client
            .resource(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build())
            .create();
    if (review.getStatus() == null || !Boolean.TRUE.equals(review.getStatus().getAuthenticated())) {
      return Optional.empty();
    }
    UserInfo user = review.getStatus().getUser();
    return Optional.of(
        new Caller(
            user.getUsername(), user.getUid(), user.getGroups(), user.getExtra(), token, false));
  }

  @Override
  public boolean allows(Caller caller, String verb, String resource, String namespace) {
    String key =
        String.join("/", BearerTokens.fingerprint(caller.token()), verb, resource, namespace);
    return decisions.get(key, () -> ask(caller, verb, resource, namespace));
  }

  private boolean ask(Caller caller, String verb, String resource, String namespace) {
    String[] resourceAndSub = resource.split("/", 2);
    SubjectAccessReview review =
        client
            .resource(
                new SubjectAccessReviewBuilder()
                    .withNewSpec()
                    .withUser(caller.user())
                    .withUid(caller.uid())
                    .withGroups(caller.groups())
                    .withExtra(caller.extra())
                    .withNewResourceAttributes()
                    .withGroup(CORE_RESOURCES.contains(resource) ? "" : DroverLabels.GROUP)
                    .withResource(resourceAndSub[0])
                    .withSubresource(resourceAndSub.length > 1 ? resourceAndSub[1] : null)
                    .withVerb(verb)
                    .withNamespace(namespace.isEmpty() ? null : namespace)
                    .endResourceAttributes()
                    .endSpec()
                    .build())
            .create();
    return review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed());
  }
}
