package dev.drover.operator.pod;

import static dev.drover.operator.pod.PodFixtures.attempt;
import static dev.drover.operator.pod.PodFixtures.released;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.drover.api.DroverLabels;
import dev.drover.api.EnvEntry;
import dev.drover.api.execution.TaskExecution;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodRendererTest {

  @Test
  void thePodIsNamedAfterItsAttemptOwnedByItAndLabelledWithItsRun() {
    Pod pod = PodRenderer.render(released("db-3"));

    assertThat(pod.getMetadata().getName()).isEqualTo("dump-db-3-1");
    assertThat(pod.getMetadata().getNamespace()).isEqualTo("ops");
    assertThat(pod.getMetadata().getLabels())
        .containsEntry(DroverLabels.RUN, "dump")
        .containsEntry(DroverLabels.UNIT, "db-3")
        .containsEntry(DroverLabels.ATTEMPT, "1")
        .containsEntry(DroverLabels.EXECUTOR, "pod");
    assertThat(pod.getMetadata().getOwnerReferences())
        .extracting(o -> o.getKind(), o -> o.getName(), o -> o.getUid(), o -> o.getController())
        .containsExactly(tuple("TaskExecution", "dump-db-3-1", "exec-uid", true));
  }

  @Test
  void aBroadcastPodIsPinnedToItsNodeByHostnameAffinityAsADaemonSetPod() {
    Pod pod = PodRenderer.render(released("db-3"));

    var terms =
        pod.getSpec()
            .getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms();
    assertThat(terms).hasSize(1);
    assertThat(terms.get(0).getMatchExpressions())
        .containsExactly(
            new NodeSelectorRequirement("kubernetes.io/hostname", "In", java.util.List.of("db-3")));
    assertThat(pod.getSpec().getNodeName()).as("the scheduler binds it").isNull();
  }

  @Test
  void otherPodsMayRunOnAnyNodeTheSelectorMatchesAndARetryPrefersAnotherNode() {
    Pod pod = PodRenderer.render(attempt(null, "db-1", true));

    var nodeAffinity = pod.getSpec().getAffinity().getNodeAffinity();
    assertThat(
            nodeAffinity
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()
                .get(0)
                .getMatchExpressions())
        .containsExactly(new NodeSelectorRequirement("role", "In", java.util.List.of("db")));
    assertThat(nodeAffinity.getPreferredDuringSchedulingIgnoredDuringExecution())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.getPreference().getMatchExpressions())
                    .containsExactly(
                        new NodeSelectorRequirement(
                            "kubernetes.io/hostname", "NotIn", java.util.List.of("db-1"))));
  }

  @Test
  void theContainerRunsTheScriptVerbatimWithTheRunsEnvAndTheDroverVariables() {
    Container container =
        PodRenderer.render(attempt(null, null, true)).getSpec().getContainers().get(0);

    assertThat(container.getImage()).isEqualTo("postgres:16");
    assertThat(container.getCommand())
        .containsExactly("/bin/sh", "-c", "pg_dump \"$$PGDB\" > /backup/$$(date +%F).sql");
    assertThat(container.getArgs()).containsExactly("--db=$(DROVER_ITEM)");
    assertThat(container.getWorkingDir()).isEqualTo("/backup");
    assertThat(container.getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .contains(
            tuple("PGDB", "main"),
            tuple("DROVER_RUN", "dump"),
            tuple("DROVER_NAMESPACE", "ops"),
            tuple("DROVER_ATTEMPT", "1"),
            tuple("DROVER_ITEM", "db-1"));
    assertThat(container.getEnv())
        .filteredOn(e -> e.getName().equals("DROVER_AGENT") || e.getName().equals("DROVER_NODE"))
        .extracting(e -> e.getValueFrom().getFieldRef().getFieldPath())
        .containsExactly("spec.nodeName", "spec.nodeName");
    assertThat(container.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
  }

  @Test
  void theDroverVariablesComeFirstSoTheRunsEnvCanReferToThemAndCannotReplaceThem() {
    TaskExecution execution = attempt(null, null, true);
    execution.setSpec(
        execution.getSpec().toBuilder()
            .env(
                List.of(
                    new EnvEntry("DROVER_PARAM_DATABASE", "$(DROVER_ITEM)"),
                    new EnvEntry("DROVER_ITEM", "forged")))
            .build());

    List<EnvVar> env = PodRenderer.render(execution).getSpec().getContainers().get(0).getEnv();

    assertThat(env)
        .extracting(EnvVar::getName)
        .containsExactly(
            "DROVER_RUN",
            "DROVER_NAMESPACE",
            "DROVER_NODE",
            "DROVER_AGENT",
            "DROVER_POD",
            "DROVER_ATTEMPT",
            "DROVER_ITEM",
            "DROVER_PARAM_DATABASE");
    assertThat(env)
        .filteredOn(e -> e.getName().equals("DROVER_ITEM"))
        .singleElement()
        .extracting(EnvVar::getValue)
        .isEqualTo("db-1");
  }

  @Test
  void theAttemptTimeoutBecomesTheActiveDeadlineAndThePodIsNeverRestarted() {
    Pod pod = PodRenderer.render(released("db-3"));

    assertThat(pod.getSpec().getActiveDeadlineSeconds()).isEqualTo(600L);
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
  }
}
