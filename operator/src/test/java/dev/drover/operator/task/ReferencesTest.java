package dev.drover.operator.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.taskrun.TaskRunSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ReferencesTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  /** A spec with a pod, resources, volumes, tolerations and an int-or-string, as users write it. */
  private static final TaskRunSpec POD_SPEC =
      YAML.unmarshal(
          """
          selector: {matchLabels: {role: db}}
          dispatch: Distribute
          items: ["$(params.first)", "b"]
          executor: Pod
          maxFailures: "10%"
          script: pg_dump $(params.db)
          pod:
            image: postgres:16
            resources: {limits: {memory: 1Gi, cpu: 500m}, requests: {memory: 256Mi}}
            volumes: [{name: backup, hostPath: {path: /backup, type: Directory}}]
            volumeMounts: [{name: backup, mountPath: /backup}]
            tolerations: [{key: dedicated, operator: Equal, value: db, effect: NoSchedule}]
          """,
          TaskRunSpec.class);

  @Test
  void walkingEveryStringLeavesWhatItDoesNotChangeExactlyAsItWas() {
    assertThat(References.transformStrings(POD_SPEC, (path, text) -> text)).isEqualTo(POD_SPEC);
  }

  @Test
  void everyReferenceInAnyStringIsFoundWithItsKey() {
    assertThat(References.in(POD_SPEC)).containsExactlyInAnyOrder("params.first", "params.db");
    assertThat(References.in("echo $(item) $(tasks.list.result) $(dependsOn.results) $(date)"))
        .containsExactly("item", "tasks.list.result", "dependsOn.results");
  }

  @Test
  void theWalkNamesEachStringsFieldPath() {
    Set<String> paths = new TreeSet<>();
    References.transformStrings(
        POD_SPEC,
        (path, text) -> {
          paths.add(path);
          return text;
        });

    assertThat(paths)
        .contains("script", "items", "pod.image", "pod.volumes.hostPath.path", "maxFailures");
  }
}
