package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart, rendered by a real Helm: it lints, deploy/drover.yaml is its default rendering,
 * and what it grants and runs is asserted object by object.
 */
class ChartTest {
  private static final Path ROOT =
      Path.of(System.getProperty("drover.root", "..")).toAbsolutePath().normalize();
  static final Path CHART = ROOT.resolve("charts/drover");
  private static final Path DEPLOY = ROOT.resolve("deploy/drover.yaml");
  private static final String HEADER =
      "# Generated from charts/drover (helm template drover charts/drover --namespace"
          + " drover-system);\n"
          + "# regenerate with: mvn -pl e2e test -Dtest=ChartTest -Ddrover.update-deploy=true\n";
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  static String render(Consumer<TemplateCommand> values) {
    TemplateCommand template =
        new Helm(CHART).template().withName("drover").withNamespace("drover-system");
    values.accept(template);
    return template.call();
  }

  static List<HasMetadata> objects(String yaml) {
    Object parsed = YAML.unmarshal(yaml);
    if (parsed instanceof KubernetesList list) {
      return list.getItems();
    }
    @SuppressWarnings("unchecked")
    List<HasMetadata> items =
        parsed instanceof List<?> ? (List<HasMetadata>) parsed : List.of((HasMetadata) parsed);
    return items;
  }

  static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> kind, String name) {
    return objects.stream()
        .filter(kind::isInstance)
        .map(kind::cast)
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
  }

  @Test
  void theChartLintsCleanly() {
    LintResult lint = new Helm(CHART).lint().strict().call();

    assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
  }

  @Test
  void deployManifestIsTheDefaultRenderingOfTheChart() throws IOException {
    String rendered = HEADER + render(t -> {});
    if (Boolean.getBoolean("drover.update-deploy")) {
      Files.writeString(DEPLOY, rendered);
    }

    assertThat(Files.readString(DEPLOY))
        .as("deploy/drover.yaml is stale; %s", HEADER)
        .isEqualTo(rendered);
  }

  @Test
  void theChartShipsTheGeneratedCrdsUnchanged() throws IOException {
    try (var files = Files.list(ROOT.resolve("crds"))) {
      for (Path crd : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
        assertThat(CHART.resolve("crds").resolve(crd.getFileName())).hasSameTextualContentAs(crd);
      }
    }
  }

  @Test
  void theOperatorIsGrantedItsOwnResourcesTaskPodsAndNothingElse() {
    List<HasMetadata> objects = objects(render(t -> {}));

    assertThat(rules(one(objects, ClusterRole.class, "drover-operator").getRules()))
        .containsExactly(
            tuple(
                "drover.dev",
                List.of("taskruns", "scheduledtasks", "taskflows"),
                List.of("get", "list", "watch", "create", "update", "patch", "delete")),
            tuple(
                "drover.dev",
                List.of(
                    "taskruns/status",
                    "scheduledtasks/status",
                    "taskflows/status",
                    "tasks/status",
                    "taskexecutions/status",
                    "agents/status"),
                List.of("get", "update", "patch")),
            tuple(
                "drover.dev",
                List.of("taskexecutions"),
                List.of("get", "list", "watch", "create", "update", "patch", "delete")),
            tuple("drover.dev", List.of("agents", "tasks"), List.of("get", "list", "watch")),
            tuple(
                "drover.dev",
                List.of(
                    "scheduledtasks/finalizers",
                    "taskflows/finalizers",
                    "taskruns/finalizers",
                    "taskexecutions/finalizers"),
                List.of("update")),
            tuple("", List.of("events"), List.of("create", "patch")),
            tuple("", List.of("pods"), List.of("get", "list", "watch", "create", "delete")),
            tuple("", List.of("nodes"), List.of("get", "list", "watch")),
            tuple("coordination.k8s.io", List.of("leases"), List.of("get", "list", "watch")));
    assertThat(rules(one(objects, Role.class, "drover-operator-leader-election").getRules()))
        .containsExactly(
            tuple(
                "coordination.k8s.io",
                List.of("leases"),
                List.of("get", "create", "update", "patch")));
  }

  @Test
  void agentsMayOnlyReadExecutionsReportStatusKeepTheirAgentAndLeaseAndCheckOutputReaders() {
    List<HasMetadata> objects = objects(render(t -> {}));

    assertThat(rules(one(objects, ClusterRole.class, "drover-agent").getRules()))
        .containsExactly(
            tuple("drover.dev", List.of("agents"), List.of("get", "create", "update")),
            tuple("drover.dev", List.of("agents/status"), List.of("patch")),
            tuple("", List.of("nodes"), List.of("get")),
            tuple("authentication.k8s.io", List.of("tokenreviews"), List.of("create")),
            tuple("authorization.k8s.io", List.of("subjectaccessreviews"), List.of("create")));
    assertThat(rules(one(objects, ClusterRole.class, "drover-agent-executions").getRules()))
        .containsExactly(
            tuple("drover.dev", List.of("taskexecutions"), List.of("get", "list", "watch")),
            tuple("drover.dev", List.of("taskexecutions/status"), List.of("patch")));
    assertThat(rules(one(objects, Role.class, "drover-agent-leases").getRules()))
        .containsExactly(
            tuple("coordination.k8s.io", List.of("leases"), List.of("get", "create", "update")));
    assertThat(
            objects.stream()
                .filter(RoleBinding.class::isInstance)
                .map(o -> o.getMetadata().getNamespace() + "/" + o.getMetadata().getName()))
        .containsExactlyInAnyOrder(
            "default/drover-agent-executions",
            "drover-system/drover-agent-leases",
            "drover-system/drover-operator-leader-election");
    assertThat(
            objects.stream()
                .filter(o -> o instanceof ClusterRole || o instanceof Role)
                .filter(o -> o.getMetadata().getName().startsWith("drover-agent"))
                .flatMap(o -> rulesOf(o).stream())
                .flatMap(r -> r.getResources().stream()))
        .doesNotContain("secrets", "configmaps", "pods", "*");
  }

  @Test
  void theOperatorRunsTwoNonRootReplicasWithLeaderElectionAndProbes() {
    Deployment operator = one(objects(render(t -> {})), Deployment.class, "drover-operator");
    var pod = operator.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);

    assertThat(operator.getSpec().getReplicas()).isEqualTo(2);
    assertThat(container.getArgs()).contains("--leader-election");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getResources().getLimits()).containsKey("memory");
  }

  @Test
  void agentsRunEverywhereWithoutHostAccessByDefault() {
    DaemonSet agent = one(objects(render(t -> {})), DaemonSet.class, "drover-agent");
    var pod = agent.getSpec().getTemplate().getSpec();

    assertThat(pod.getTolerations()).extracting(t -> t.getOperator()).containsExactly("Exists");
    assertThat(pod.getHostPID()).isNull();
    assertThat(pod.getHostNetwork()).isNull();
    assertThat(pod.getVolumes()).extracting(v -> v.getName()).containsExactly("tmp", "output");
    assertThat(pod.getContainers().get(0).getLivenessProbe().getHttpGet().getPort().getStrVal())
        .isEqualTo("http");
    assertThat(pod.getContainers().get(0).getPorts())
        .extracting(p -> p.getContainerPort())
        .containsExactly(8081);
  }

  /** A process given no --port would serve elsewhere when its default is taken. */
  @Test
  void bothProcessesAreToldThePortTheirProbesAsk() {
    List<HasMetadata> objects = objects(render(t -> {}));
    List<Container> containers =
        List.of(
            one(objects, Deployment.class, "drover-operator")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0),
            one(objects, DaemonSet.class, "drover-agent")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0));

    assertThat(containers)
        .allSatisfy(
            c -> {
              int http = c.getPorts().get(0).getContainerPort();
              assertThat(c.getArgs()).containsSequence("--port", String.valueOf(http));
              assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal())
                  .isEqualTo(c.getPorts().get(0).getName());
            });
  }

  @Test
  void valuesSetNamespacesLabelsFencingHostAccessReplicasAndAServiceMonitor() {
    String yaml =
        render(
            t ->
                t.set("agent.namespaces[0]", "ops")
                    .set("agent.namespaces[1]", "batch")
                    .set("agent.labels.zone", "eu-1")
                    .set("agent.hostAccess.pid", true)
                    .set("agent.hostAccess.hostPath", "/")
                    .set("agent.fenceAfterSeconds", 30)
                    .set("operator.replicas", 3)
                    .set("operator.image.tag", "9.9.9")
                    .set("metrics.serviceMonitor.enabled", true));
    List<HasMetadata> objects = objects(yaml);
    var pod = one(objects, DaemonSet.class, "drover-agent").getSpec().getTemplate().getSpec();
    Map<String, String> env =
        pod.getContainers().get(0).getEnv().stream()
            .filter(e -> e.getValue() != null)
            .collect(java.util.stream.Collectors.toMap(e -> e.getName(), e -> e.getValue()));

    assertThat(env)
        .containsEntry("DROVER_AGENT_NAMESPACES", "ops,batch")
        .containsEntry("DROVER_AGENT_LABELS", "zone=eu-1")
        .containsEntry("DROVER_FENCE_AFTER_SECONDS", "30");
    assertThat(pod.getHostPID()).isTrue();
    assertThat(pod.getVolumes())
        .extracting(v -> v.getName())
        .containsExactly("tmp", "output", "host");
    assertThat(
            objects.stream()
                .filter(RoleBinding.class::isInstance)
                .map(o -> o.getMetadata().getNamespace()))
        .contains("ops", "batch")
        .doesNotContain("default");
    assertThat(one(objects, Deployment.class, "drover-operator").getSpec().getReplicas())
        .isEqualTo(3);
    assertThat(
            one(objects, Deployment.class, "drover-operator")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage())
        .isEqualTo("ghcr.io/drover-dev/drover-operator:9.9.9");
    assertThat(yaml).contains("kind: ServiceMonitor");
  }

  private static List<PolicyRule> rulesOf(HasMetadata roleOrClusterRole) {
    return roleOrClusterRole instanceof Role role
        ? role.getRules()
        : ((ClusterRole) roleOrClusterRole).getRules();
  }

  static List<org.assertj.core.groups.Tuple> rules(List<PolicyRule> rules) {
    return rules.stream()
        .map(r -> tuple(r.getApiGroups().get(0), r.getResources(), r.getVerbs()))
        .toList();
  }
}
