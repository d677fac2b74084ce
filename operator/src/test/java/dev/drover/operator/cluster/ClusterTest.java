package dev.drover.operator.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh CRUD mock API per test, with the operator running and the agents {@link #startAgents}
 * starts (three scanners of capacity 2 unless a test class says otherwise).
 */
@EnableKubernetesMockClient(crud = true)
abstract class ClusterTest {
  KubernetesClient client;
  DroverCluster cluster;

  @BeforeEach
  void startCluster() {
    cluster = new DroverCluster(client);
    cluster.startOperator();
    startAgents();
  }

  void startAgents() {
    cluster.startScanners(3, 2);
  }

  @AfterEach
  void stopCluster() throws InterruptedException {
    cluster.close();
  }
}
