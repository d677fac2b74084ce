package dev.drover.agent.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.agent.output.CallerCheck.Outcome;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The questions the agent puts to the API server about a caller, and what it makes of answers. */
@EnableKubernetesMockClient
class KubernetesCallerCheckTest {
  private static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
  private static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";

  KubernetesMockServer server;
  KubernetesClient client;

  private void tokenBelongsTo(String user) {
    TokenReview answer =
        new TokenReviewBuilder()
            .withNewStatus()
            .withAuthenticated(user != null)
            .withNewUser()
            .withUsername(user)
            .withGroups(List.of("ops-team"))
            .endUser()
            .endStatus()
            .build();
    server.expect().post().withPath(TOKEN_REVIEWS).andReturn(201, answer).always();
  }

  private void accessIs(boolean allowed) {
    SubjectAccessReview answer =
        new SubjectAccessReviewBuilder().withNewStatus().withAllowed(allowed).endStatus().build();
    server.expect().post().withPath(ACCESS_REVIEWS).andReturn(201, answer).always();
  }

  @Test
  void aUserAllowedToGetExecutionsInTheNamespaceMayRead() throws Exception {
    tokenBelongsTo("alice");
    accessIs(true);

    assertThat(new KubernetesCallerCheck(client, Clock.systemUTC()).check("t", "ops").outcome())
        .isEqualTo(Outcome.ALLOWED);

    RecordedRequest review = server.takeRequest();
    assertThat(Serialization.unmarshal(review.getBody().readUtf8(), TokenReview.class))
        .extracting(r -> r.getSpec().getToken())
        .isEqualTo("t");
    SubjectAccessReview asked =
        Serialization.unmarshal(
            server.takeRequest().getBody().readUtf8(), SubjectAccessReview.class);
    assertThat(asked.getSpec().getUser()).isEqualTo("alice");
    assertThat(asked.getSpec().getGroups()).containsExactly("ops-team");
    assertThat(asked.getSpec().getResourceAttributes())
        .satisfies(
            attributes -> {
              assertThat(attributes.getGroup()).isEqualTo("drover.dev");
              assertThat(attributes.getResource()).isEqualTo("taskexecutions");
              assertThat(attributes.getVerb()).isEqualTo("get");
              assertThat(attributes.getNamespace()).isEqualTo("ops");
            });
  }

  @Test
  void aUserWithoutTheRightIsForbiddenAndToldWhichRightIsMissing() {
    tokenBelongsTo("bob");
    accessIs(false);

    var verdict = new KubernetesCallerCheck(client, Clock.systemUTC()).check("t", "ops");

    assertThat(verdict.outcome()).isEqualTo(Outcome.FORBIDDEN);
    assertThat(verdict.message())
        .isEqualTo("bob may not get taskexecutions.drover.dev in namespace ops");
  }

  @Test
  void aTokenTheApiServerDoesNotAcceptIsUnauthenticated() {
    tokenBelongsTo(null);

    assertThat(new KubernetesCallerCheck(client, Clock.systemUTC()).check("t", "ops").outcome())
        .isEqualTo(Outcome.UNAUTHENTICATED);
    assertThat(new KubernetesCallerCheck(client, Clock.systemUTC()).check(" ", "ops").outcome())
        .isEqualTo(Outcome.UNAUTHENTICATED);
  }

  @Test
  void aVerdictIsRememberedBrieflySoAFollowedOutputCostsOneReview() {
    tokenBelongsTo("alice");
    accessIs(true);
    KubernetesCallerCheck check = new KubernetesCallerCheck(client, Clock.systemUTC());

    check.check("t", "ops");
    check.check("t", "ops");
    check.check("t", "ops");

    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void anAgentNotAllowedToAskTheApiServerAnswersUnavailable() {
    server.expect().post().withPath(TOKEN_REVIEWS).andReturn(403, "forbidden").always();

    assertThat(new KubernetesCallerCheck(client, Clock.systemUTC()).check("t", "ops").outcome())
        .isEqualTo(Outcome.UNAVAILABLE);
  }
}
