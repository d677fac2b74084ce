package dev.drover.operator.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.operator.support.Children.NameHolder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ChildrenTest {
  KubernetesClient client;
  KubernetesMockServer server;

  private ConfigMap owner;

  @BeforeEach
  void createOwner() {
    owner = configMap("owner", "uid-of-this-owner", null);
  }

  @Test
  void aFreeNameIsCreated() {
    assertThat(Children.create(client, child("child", owner, "fresh")))
        .hasValueSatisfying(c -> assertThat(c.getMetadata().getResourceVersion()).isNotNull());
    assertThat(data("child")).isEqualTo("fresh");
  }

  @Test
  void aTakenNameIsNotCreatedAndItsHolderStaysAsItWas() {
    client.resource(child("child", owner, "first")).create();

    assertThat(Children.create(client, child("child", owner, "second"))).isEmpty();
    assertThat(data("child")).isEqualTo("first");
  }

  @Test
  void anyOtherRefusalIsThrown() {
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/ops/configmaps")
        .andReturn(403, new StatusBuilder().withCode(403).withMessage("forbidden").build())
        .once();

    assertThatThrownBy(() -> Children.create(client, child("child", owner, "any")))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
  }

  @Test
  void aNameHeldByTheOwnersOwnChildIsTheOwners() {
    client.resource(child("child", owner, "from an earlier pass")).create();

    assertThat(Children.holderOfName(client, owner, child("child", owner, "again")))
        .isEqualTo(NameHolder.OWNER);
  }

  @Test
  void aNameHeldByTheChildOfADeletedOwnerOfTheSameNameIsAnothers() {
    ConfigMap deletedOwner = configMap("owner", "uid-of-the-deleted-owner", null);
    client.resource(child("child", deletedOwner, "leftover")).create();

    assertThat(Children.holderOfName(client, owner, child("child", owner, "new")))
        .isEqualTo(NameHolder.ANOTHER);
  }

  @Test
  void aNameHeldByAnObjectWithoutOwnerIsAnothers() {
    client.resource(configMap("child", "uid-of-a-stray", "made by hand")).create();

    assertThat(Children.holderOfName(client, owner, child("child", owner, "new")))
        .isEqualTo(NameHolder.ANOTHER);
  }

  @Test
  void aNameNoLongerHeldIsNobodys() {
    assertThat(Children.holderOfName(client, owner, child("child", owner, "new")))
        .isEqualTo(NameHolder.NOBODY);
  }

  private String data(String name) {
    return client.configMaps().inNamespace("ops").withName(name).get().getData().get("value");
  }

  private static ConfigMap child(String name, ConfigMap owner, String value) {
    ConfigMap child = configMap(name, null, value);
    child.getMetadata().getOwnerReferences().add(Owners.controlledBy(owner));
    return child;
  }

  private static ConfigMap configMap(String name, String uid, String value) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ops")
        .withUid(uid)
        .endMetadata()
        .addToData("value", value)
        .build();
  }
}
