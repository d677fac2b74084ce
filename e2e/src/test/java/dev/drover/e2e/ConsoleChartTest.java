package dev.drover.e2e;

import static dev.drover.e2e.ChartTest.objects;
import static dev.drover.e2e.ChartTest.one;
import static dev.drover.e2e.ChartTest.render;
import static dev.drover.e2e.ChartTest.rules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console in the chart: off unless asked for, and then a reader that acts as no one. */
class ConsoleChartTest {
  @Test
  void theConsoleIsOffByDefault() {
    assertThat(objects(render(t -> {})))
        .noneMatch(object -> object.getMetadata().getName().startsWith("drover-console"));
  }

  @Test
  void enabledItRunsWithProbesBehindAServiceAndItsServiceAccountMayOnlyReadAndAskReviews() {
    List<HasMetadata> objects = objects(render(t -> t.set("console.enabled", true)));

    Deployment deployment = one(objects, Deployment.class, "drover-console");
    var pod = deployment.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertThat(pod.getServiceAccountName()).isEqualTo("drover-console");
    assertThat(container.getArgs()).containsExactly("--port=8090");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(one(objects, Service.class, "drover-console").getSpec().getPorts().get(0).getPort())
        .isEqualTo(80);
    assertThat(rules(one(objects, ClusterRole.class, "drover-console").getRules()))
        .containsExactly(
            tuple(
                "drover.dev",
                List.of(
                    "taskruns", "taskexecutions", "agents", "scheduledtasks", "taskflows", "tasks"),
                List.of("get", "list", "watch")),
            tuple("", List.of("events"), List.of("get", "list", "watch")),
            tuple("authentication.k8s.io", List.of("tokenreviews"), List.of("create")),
            tuple("authorization.k8s.io", List.of("subjectaccessreviews"), List.of("create")));
  }

  @Test
  void readOnlyAndSecureCookieBecomeFlags() {
    List<HasMetadata> objects =
        objects(
            render(
                t ->
                    t.set("console.enabled", true)
                        .set("console.readOnly", true)
                        .set("console.secureCookie", true)));

    assertThat(
            one(objects, Deployment.class, "drover-console")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getArgs())
        .containsExactly("--port=8090", "--read-only", "--secure-cookie");
  }
}
