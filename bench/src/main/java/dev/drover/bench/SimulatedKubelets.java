package dev.drover.bench;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Stands in for kubelets, scheduler and node controller on an API server that has none: registers
 * Ready Nodes and carries pods from created to Succeeded.
 */
final class SimulatedKubelets {
  private SimulatedKubelets() {}

  /**
   * Registers a Node and lifts the not-ready taint admission gives it, as its kubelet and the node
   * controller would.
   */
  static void registerNode(KubernetesClient client, String name, String role, boolean warmUp) {
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(
                    Map.of(
                        "role",
                        role,
                        "kubernetes.io/hostname",
                        name,
                        "warm-up",
                        String.valueOf(warmUp)))
                .endMetadata()
                .build())
        .create();
    client
        .nodes()
        .withName(name)
        .edit(
            n -> {
              n.getSpec().setTaints(List.of());
              return n;
            });
  }

  /** Binds the pod to the node its affinity names and reports it Succeeded, exit code 0. */
  static void runToSuccess(KubernetesClient client, Pod pod) {
    String node =
        pod.getSpec()
            .getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms()
            .get(0)
            .getMatchExpressions()
            .get(0)
            .getValues()
            .get(0);
    String namespace = pod.getMetadata().getNamespace();
    client
        .bindings()
        .inNamespace(namespace)
        .resource(
            new BindingBuilder()
                .withNewMetadata()
                .withName(pod.getMetadata().getName())
                .endMetadata()
                .withNewTarget()
                .withKind("Node")
                .withName(node)
                .endTarget()
                .build())
        .create();
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    client
        .pods()
        .inNamespace(namespace)
        .withName(pod.getMetadata().getName())
        .editStatus(
            p -> {
              p.setStatus(
                  new PodStatusBuilder()
                      .withPhase("Succeeded")
                      .withStartTime(now)
                      .withContainerStatuses(
                          new ContainerStatusBuilder()
                              .withName("task")
                              .withImage("busybox")
                              .withImageID("")
                              .withReady(false)
                              .withRestartCount(0)
                              .withState(
                                  new ContainerStateBuilder()
                                      .withNewTerminated()
                                      .withExitCode(0)
                                      .withReason("Completed")
                                      .withStartedAt(now)
                                      .withFinishedAt(now)
                                      .endTerminated()
                                      .build())
                              .build())
                      .build());
              return p;
            });
  }
}
