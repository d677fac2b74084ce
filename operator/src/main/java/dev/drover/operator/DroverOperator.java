package dev.drover.operator;

import dev.drover.operator.agent.AgentReconciler;
import dev.drover.operator.taskrun.TaskRunReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.util.Set;

/** The operator's controllers, wired to one client. */
public final class DroverOperator implements AutoCloseable {
  private final Operator operator;

  /**
   * @param namespaces namespaces whose TaskRuns are reconciled; empty for all
   * @param leaseNamespace where agents keep their Leases
   */
  public DroverOperator(KubernetesClient client, Set<String> namespaces, String leaseNamespace, Clock clock) {
    // Status is written with merge patches, which every API server (and the test mock) accepts.
    operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .checkingCRDAndValidateLocalModel(false)
                    .withCloseClientOnStop(false));
    operator.register(
        new TaskRunReconciler(client, clock),
        c -> {
          if (namespaces.isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(namespaces);
          }
        });
    operator.register(new AgentReconciler(client, clock, leaseNamespace, namespaces));
  }

  public void start() {
    operator.start();
  }

  @Override
  public void close() {
    operator.stop();
  }
}
