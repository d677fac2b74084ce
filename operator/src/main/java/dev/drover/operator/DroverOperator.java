package dev.drover.operator;

import dev.drover.operator.agent.AgentReconciler;
import dev.drover.operator.schedule.ScheduledTaskReconciler;
import dev.drover.operator.taskrun.TaskRunReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Set;

/** The operator's controllers, wired to one client. */
public final class DroverOperator implements AutoCloseable {
  private final Operator operator;

  /**
   * @param namespaces namespaces whose TaskRuns are reconciled; empty for all
   * @param leaseNamespace where agents keep their Leases
   */
  public DroverOperator(
      KubernetesClient client, Set<String> namespaces, String leaseNamespace, Clock clock, MeterRegistry registry) {
    // Status is written with merge patches, which every API server (and the test mock) accepts.
    operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .checkingCRDAndValidateLocalModel(false)
                    .withCloseClientOnStop(false));
    operator.register(new TaskRunReconciler(client, clock), c -> watch(c, namespaces));
    operator.register(new ScheduledTaskReconciler(client, clock, registry), c -> watch(c, namespaces));
    operator.register(new AgentReconciler(client, clock, leaseNamespace, namespaces));
  }

  private static void watch(ControllerConfigurationOverrider<?> controller, Set<String> namespaces) {
    if (namespaces.isEmpty()) {
      controller.watchingAllNamespaces();
    } else {
      controller.settingNamespaces(namespaces);
    }
  }

  public void start() {
    operator.start();
  }

  @Override
  public void close() {
    operator.stop();
  }
}
