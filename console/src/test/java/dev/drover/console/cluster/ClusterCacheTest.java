package dev.drover.console.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console's cache of the cluster, as a page served right after a create sees it. */
@EnableKubernetesMockClient(crud = true)
class ClusterCacheTest {
  KubernetesClient client;
  private ClusterCache cache;

  @BeforeEach
  void aStartedCache() throws Exception {
    cache = new ClusterCache(client);
    cache.start(Duration.ofSeconds(30));
  }

  @AfterEach
  void close() {
    cache.close();
  }

  private void create(String name) {
    TaskRun run = new TaskRun();
    run.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
    run.setSpec(TaskRunSpec.builder().command(List.of("true")).build());
    client.resource(run).create();
  }

  @Test
  void aRunCreatedWhileTheCallerWaitsIsThereWhenTheWaitEnds() throws Exception {
    CompletableFuture<Boolean> waited =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return cache.awaitRun("default", "fresh", Duration.ofSeconds(30));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    create("fresh");

    assertThat(waited.get()).isTrue();
    assertThat(cache.run("default", "fresh")).isPresent();
  }

  @Test
  void aRunThatNeverAppearsEndsTheWaitAfterThePatience() throws Exception {
    create("other");

    assertThat(cache.awaitRun("default", "never", Duration.ofMillis(300))).isFalse();
  }
}
