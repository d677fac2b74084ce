package dev.drover.operator.pod;

import dev.drover.api.DroverLabels;
import dev.drover.api.EnvEntry;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionSpec;
import dev.drover.api.taskrun.PodOptions;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Pod attempts and their pods in the states a kubelet reports. */
final class PodFixtures {
  static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  static final PodOptions OPTIONS =
      new PodOptions("postgres:16", null, null, null, null, null, null, null, null, 60L);

  private PodFixtures() {}

  static TaskExecution attempt(String target, String avoidNode, boolean released) {
    TaskExecution execution = new TaskExecution();
    execution.setMetadata(
        new ObjectMetaBuilder()
            .withName("dump-" + (target == null ? "item-0" : target) + "-1")
            .withNamespace("ops")
            .withUid("exec-uid")
            .withLabels(
                Map.of(
                    DroverLabels.RUN,
                    "dump",
                    DroverLabels.UNIT,
                    target == null ? "item-0" : target,
                    DroverLabels.ATTEMPT,
                    "1",
                    DroverLabels.EXECUTOR,
                    "pod"))
            .build());
    execution.setSpec(
        TaskExecutionSpec.builder()
            .run("dump")
            .unit(target == null ? "item-0" : target)
            .target(target)
            .item(target == null ? "db-1" : null)
            .attempt(1)
            .args(List.of("--db=$(DROVER_ITEM)"))
            .script("pg_dump \"$PGDB\" > /backup/$(date +%F).sql")
            .env(List.of(new EnvEntry("PGDB", "main")))
            .workingDir("/backup")
            .timeoutSeconds(600L)
            .pod(OPTIONS)
            .nodeSelector(
                target == null
                    ? new LabelSelectorBuilder().addToMatchLabels("role", "db").build()
                    : null)
            .avoidNode(avoidNode)
            .released(released ? true : null)
            .build());
    return execution;
  }

  static TaskExecution released(String target) {
    return attempt(target, null, true);
  }

  /** The attempt's pod as created, with the creation time the API server gives it. */
  static Pod created(TaskExecution execution, Instant at) {
    Pod pod = PodRenderer.render(execution);
    pod.getMetadata().setCreationTimestamp(at.toString());
    return pod;
  }

  static Pod inPhase(Pod pod, String phase, String node, ContainerStateBuilder state) {
    return new PodBuilder(pod)
        .editSpec()
        .withNodeName(node)
        .endSpec()
        .withNewStatus()
        .withPhase(phase)
        .withStartTime(node == null ? null : T0.plusSeconds(1).toString())
        .withContainerStatuses(
            state == null
                ? List.of()
                : List.of(
                    new ContainerStatusBuilder()
                        .withName(PodRenderer.CONTAINER)
                        .withState(state.build())
                        .build()))
        .endStatus()
        .build();
  }

  static ContainerStateBuilder terminated(int exitCode, String reason, String message) {
    return new ContainerStateBuilder()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withReason(reason)
        .withMessage(message)
        .withStartedAt(T0.plusSeconds(2).toString())
        .withFinishedAt(T0.plusSeconds(9).toString())
        .endTerminated();
  }

  static ContainerStateBuilder waiting(String reason, String message) {
    return new ContainerStateBuilder()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting();
  }
}
