package dev.drover.e2e;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Plays the scheduler and the kubelets of an API server that has none: registers Nodes, binds pods
 * through the binding subresource, and writes pod status as a kubelet would (Running, then
 * Succeeded or Failed with an exit code and the log tail as termination message).
 */
final class PlayedKubelet {
  private final KubernetesClient client;
  private final String namespace;

  PlayedKubelet(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  void registerNode(String name, Map<String, String> labels) {
    var withHostname = new java.util.HashMap<>(labels);
    withHostname.put("kubernetes.io/hostname", name);
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(withHostname)
                .endMetadata()
                .build())
        .create();
    // The kubelet reports the node Ready, and the node lifecycle controller then lifts the
    // not-ready taint that admission put on the new node.
    client
        .nodes()
        .withName(name)
        .editStatus(
            n -> {
              n.getStatus()
                  .setConditions(
                      List.of(
                          new NodeConditionBuilder()
                              .withType("Ready")
                              .withStatus("True")
                              .withReason("KubeletReady")
                              .build()));
              return n;
            });
    client
        .nodes()
        .withName(name)
        .edit(
            n -> {
              n.getSpec()
                  .setTaints(
                      n.getSpec().getTaints() == null
                          ? null
                          : n.getSpec().getTaints().stream()
                              .filter(t -> !t.getKey().equals("node.kubernetes.io/not-ready"))
                              .toList());
              return n;
            });
  }

  Pod pod(String name) {
    return client.pods().inNamespace(namespace).withName(name).get();
  }

  /** Binds the pod to a node, as the scheduler does once it has chosen one. */
  void bind(String pod, String node) {
    client
        .bindings()
        .inNamespace(namespace)
        .resource(
            new BindingBuilder()
                .withNewMetadata()
                .withName(pod)
                .endMetadata()
                .withNewTarget()
                .withKind("Node")
                .withName(node)
                .endTarget()
                .build())
        .create();
  }

  /** What the scheduler reports about a pod that fits no node. */
  void reportUnschedulable(String pod, String message) {
    PodCondition condition =
        new PodConditionBuilder()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason("Unschedulable")
            .withMessage(message)
            .withLastTransitionTime(now())
            .build();
    writeStatus(pod, new PodStatusBuilder().withPhase("Pending").withConditions(condition).build());
  }

  void start(String pod) {
    writeStatus(
        pod,
        status(
            "Running",
            new ContainerStateBuilder().withNewRunning().withStartedAt(now()).endRunning()));
  }

  /**
   * The container exited; on failure the kubelet keeps the log's tail as the termination message.
   */
  void exit(String pod, int exitCode, String logTail) {
    terminate(pod, exitCode, exitCode == 0 ? "Completed" : "Error", logTail);
  }

  /** The kernel killed the container for going over its memory limit. */
  void oomKill(String pod, String logTail) {
    terminate(pod, 137, "OOMKilled", logTail);
  }

  private void terminate(String pod, int exitCode, String reason, String logTail) {
    writeStatus(
        pod,
        status(
            exitCode == 0 ? "Succeeded" : "Failed",
            new ContainerStateBuilder()
                .withNewTerminated()
                .withExitCode(exitCode)
                .withReason(reason)
                .withMessage(exitCode == 0 ? null : logTail)
                .withStartedAt(now())
                .withFinishedAt(now())
                .endTerminated()));
  }

  /** What a kubelet does to a pod past its activeDeadlineSeconds: kills it and fails it. */
  void exceedDeadline(String pod) {
    PodStatus failed =
        status(
            "Failed",
            new ContainerStateBuilder()
                .withNewTerminated()
                .withExitCode(137)
                .withReason("Error")
                .withStartedAt(now())
                .withFinishedAt(now())
                .endTerminated());
    failed.setReason("DeadlineExceeded");
    failed.setMessage("Pod was active on the node longer than the specified deadline");
    writeStatus(pod, failed);
  }

  /** Completes graceful deletions of bound pods, which the API server leaves to the kubelet. */
  int finishDeletions() {
    List<Pod> deleting =
        client.pods().inNamespace(namespace).list().getItems().stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() != null)
            .toList();
    deleting.forEach(
        p ->
            client
                .pods()
                .inNamespace(namespace)
                .withName(p.getMetadata().getName())
                .withGracePeriod(0)
                .delete());
    return deleting.size();
  }

  private PodStatus status(String phase, ContainerStateBuilder state) {
    return new PodStatusBuilder()
        .withPhase(phase)
        .withStartTime(now())
        .withContainerStatuses(
            new ContainerStatusBuilder()
                .withName("task")
                .withImage("postgres:16")
                .withImageID("")
                .withReady(phase.equals("Running"))
                .withRestartCount(0)
                .withState(state.build())
                .build())
        .build();
  }

  private void writeStatus(String pod, PodStatus status) {
    client
        .pods()
        .inNamespace(namespace)
        .withName(pod)
        .editStatus(
            p -> {
              p.setStatus(status);
              return p;
            });
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
