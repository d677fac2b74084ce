package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatusBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart's dashboard and alerts against what the processes expose: after a run that succeeds,
 * one that fails, a schedule that fires late and misses due times, and a reconcile the API server
 * refuses, every metric their PromQL names is in the operator's or an agent's /metrics.
 */
class MonitoringIT extends RealCluster {
  private static final String TASK_EXECUTIONS = "count/taskexecutions.drover.dev";

  @Test
  void everyMetricTheDashboardAndTheAlertsNameIsExposed() throws Exception {
    runToItsEnd("monitored-ok", "Broadcast", "echo ok", "Succeeded");
    runToItsEnd("monitored-failing", "Single", "exit 3", "Failed");
    missAScheduledRun();
    failAReconcile();

    String exposition = scrapeAll();
    Files.writeString(work.resolve("metrics.txt"), exposition);
    Set<String> missing = new TreeSet<>();
    for (String expr : Monitoring.shippedExprs()) {
      for (String name : Monitoring.metricNames(expr)) {
        // up is Prometheus' own, about its targets.
        if (!name.equals("up") && !exposes(exposition, name)) {
          missing.add(name);
        }
      }
    }

    assertThat(missing)
        .as("metrics the dashboard or the alerts name that no Drover process exposes")
        .isEmpty();
  }

  private void runToItsEnd(String name, String dispatch, String script, String phase)
      throws IOException {
    apply(
        name,
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskRun
        metadata: {name: %s}
        spec:
          selector: {matchLabels: {role: scanner}}
          dispatch: %s
          script: %s
        """
            .formatted(name, dispatch, script));
    kubectl.ok("wait", "-n", NS, "--for=condition=" + phase, "taskrun/" + name, "--timeout=90s");
  }

  /** Every 2 s, at most one run at a time, each taking 5 s: due times pass without a run. */
  private void missAScheduledRun() throws IOException {
    apply(
        "monitored-schedule",
        """
        apiVersion: drover.dev/v1alpha1
        kind: ScheduledTask
        metadata: {name: monitored-schedule}
        spec:
          schedule: "*/2 * * * * *"
          concurrencyPolicy: Forbid
          runTemplate:
            spec:
              selector: {matchLabels: {role: scanner}}
              dispatch: Single
              script: sleep 5
        """);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                !jsonPath("scheduledtask", "monitored-schedule", "{.status.missed}").matches("0?"));
    kubectl.ok(
        "patch",
        "scheduledtask",
        "monitored-schedule",
        "-n",
        NS,
        "--type",
        "merge",
        "-p",
        "{\"spec\":{\"suspend\":true}}");
  }

  /**
   * A quota of no TaskExecutions makes the API server refuse the run's execution, and the reconcile
   * fails. With no quota controller here, the test writes the quota's status itself.
   */
  private void failAReconcile() throws IOException {
    ResourceQuota quota =
        new ResourceQuotaBuilder()
            .withNewMetadata()
            .withName("no-executions")
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .withHard(Map.of(TASK_EXECUTIONS, new Quantity("0")))
            .endSpec()
            .build();
    var quotas = adminClient().resourceQuotas().inNamespace(NS);
    quota = quotas.resource(quota).create();
    quota.setStatus(
        new ResourceQuotaStatusBuilder()
            .withHard(Map.of(TASK_EXECUTIONS, new Quantity("0")))
            .withUsed(Map.of(TASK_EXECUTIONS, new Quantity("0")))
            .build());
    quotas.resource(quota).updateStatus();
    try {
      apply(
          "monitored-refused",
          """
          apiVersion: drover.dev/v1alpha1
          kind: TaskRun
          metadata: {name: monitored-refused}
          spec:
            selector: {matchLabels: {role: scanner}}
            dispatch: Single
            script: echo never
          """);
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  kubectl
                      .ok(
                          "get",
                          "events",
                          "-n",
                          NS,
                          "--field-selector",
                          "involvedObject.name=monitored-refused,reason=CreateRefused")
                      .contains("exceeded quota"));
    } finally {
      quotas.withName("no-executions").delete();
    }
  }

  private String scrapeAll() throws IOException, InterruptedException {
    StringBuilder all = new StringBuilder(scrapeMetrics());
    for (int port : agentPorts.values()) {
      all.append(scrape(port));
    }
    return all.toString();
  }

  /** A sample of the series {@code name} exactly: {@code _bucket} is not {@code _count}. */
  private static boolean exposes(String exposition, String name) {
    return Pattern.compile("(?m)^" + Pattern.quote(name) + "[{ ]").matcher(exposition).find();
  }
}
