package dev.drover.console;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Map;

/**
 * The API server's answers about people, for the mock tier: who holds which token, and RBAC in
 * short. admin may do anything anywhere; alice may do anything in team-a and list agents; carol may
 * only read schedules in team-a; bob is known but may do nothing.
 */
final class MockCluster {
  static final String ADMIN = "admin-token";
  static final String ALICE = "alice-token";
  static final String BOB = "bob-token";
  static final String CAROL = "carol-token";

  private static final Map<String, String> USERS =
      Map.of(ADMIN, "admin", ALICE, "alice", BOB, "bob", CAROL, "carol");

  private MockCluster() {}

  static void answerReviews(KubernetesMockServer server) {
    server
        .expect()
        .post()
        .withPath("/apis/authentication.k8s.io/v1/tokenreviews")
        .andReply(201, MockCluster::reviewToken)
        .always();
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/subjectaccessreviews")
        .andReply(201, MockCluster::reviewAccess)
        .always();
  }

  private static TokenReview reviewToken(RecordedRequest request) {
    String token =
        Serialization.unmarshal(request.getBody().readUtf8(), TokenReview.class)
            .getSpec()
            .getToken();
    String user = USERS.get(token);
    return new TokenReviewBuilder()
        .withNewStatus()
        .withAuthenticated(user != null)
        .withNewUser()
        .withUsername(user)
        .endUser()
        .endStatus()
        .build();
  }

  private static SubjectAccessReview reviewAccess(RecordedRequest request) {
    SubjectAccessReview asked =
        Serialization.unmarshal(request.getBody().readUtf8(), SubjectAccessReview.class);
    ResourceAttributes attributes = asked.getSpec().getResourceAttributes();
    String user = asked.getSpec().getUser();
    boolean allowed =
        "admin".equals(user)
            || ("alice".equals(user)
                && ("team-a".equals(attributes.getNamespace())
                    || ("agents".equals(attributes.getResource())
                        && "list".equals(attributes.getVerb()))))
            || ("carol".equals(user)
                && "team-a".equals(attributes.getNamespace())
                && "scheduledtasks".equals(attributes.getResource())
                && List.of("get", "list").contains(attributes.getVerb()));
    return new SubjectAccessReviewBuilder()
        .withNewStatus()
        .withAllowed(allowed)
        .endStatus()
        .build();
  }

  /** Creates an object from its YAML, status included (the mock keeps what it is given). */
  static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T create(
      KubernetesClient client, Class<T> type, String yaml) {
    return client.resource(Serialization.unmarshal(yaml, type)).create();
  }
}
