package dev.drover.e2e;

import static dev.drover.e2e.Monitoring.ENABLED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart's Grafana dashboard and PrometheusRule: a dashboard Grafana can load, rendered only
 * when asked, and alerts whose values reach their expressions.
 */
class MonitoringChartTest {

  @Test
  void theDashboardHasWhatGrafanaNeedsAndNoPanelIdTwice() throws Exception {
    JsonNode dashboard = Monitoring.dashboard();

    assertThat(dashboard.path("title").asText()).isNotBlank();
    assertThat(dashboard.path("uid").asText()).matches("[a-zA-Z0-9_-]{1,40}");
    assertThat(dashboard.path("schemaVersion").isInt()).isTrue();
    assertThat(dashboard.path("panels")).isNotEmpty();
    List<Integer> ids = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      String title = panel.path("title").asText();
      assertThat(title).isNotBlank();
      assertThat(panel.path("id").isInt()).as("id of %s", title).isTrue();
      ids.add(panel.path("id").asInt());
      assertThat(panel.path("type").asText()).as("type of %s", title).isNotBlank();
      assertThat(List.of("h", "w", "x", "y"))
          .as("gridPos of %s", title)
          .allSatisfy(k -> assertThat(panel.path("gridPos").path(k).isInt()).as(k).isTrue());
      assertThat(panel.path("targets")).as("targets of %s", title).isNotEmpty();
      Set<String> refIds = new HashSet<>();
      for (JsonNode target : panel.path("targets")) {
        assertThat(target.path("expr").asText()).as("expr in %s", title).isNotBlank();
        assertThat(refIds.add(target.path("refId").asText()))
            .as("refId %s unique and given in %s", target.path("refId"), title)
            .isTrue();
        assertThat(target.path("refId").asText()).isNotBlank();
      }
    }
    assertThat(ids).doesNotHaveDuplicates();
  }

  @Test
  void everyShippedExpressionIsBalancedAndSelectsAMetric() throws Exception {
    assertThat(Monitoring.shippedExprs())
        .hasSizeGreaterThan(5)
        .allSatisfy(
            expr -> {
              assertThat(balanced(expr)).as("brackets of %s", expr).isTrue();
              assertThat(Monitoring.metricNames(expr)).as("metrics of %s", expr).isNotEmpty();
            });
  }

  @Test
  void metricNamesAreTheSelectedSeriesNotFunctionsLabelsOrVariables() {
    assertThat(
            Monitoring.metricNames(
                "histogram_quantile(0.99, sum by (le, job) (rate(a_seconds_bucket{phase=\"x\","
                    + " le!=\"1\"}[$__rate_interval]))) / on(job) group_left(le) b_total > 1e3"
                    + " and absent(up{job=\"drover\"} == 1) or sum without (i) (c:rule)"))
        .containsExactlyInAnyOrder("a_seconds_bucket", "b_total", "up", "c:rule");
  }

  @Test
  void nothingIsRenderedForMonitoringByDefault() {
    List<HasMetadata> objects = ChartTest.objects(ChartTest.render(t -> {}));

    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .doesNotContain("PrometheusRule", "ConfigMap");
  }

  @Test
  void theDashboardConfigMapCarriesTheSidecarLabelAndTheDashboardUnchanged() throws Exception {
    ConfigMap configMap = dashboardConfigMap(ChartTest.objects(ChartTest.render(ENABLED)));

    assertThat(configMap.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(configMap.getMetadata().getNamespace()).isEqualTo("drover-system");
    assertThat(new ObjectMapper().readTree(configMap.getData().get("drover.json")))
        .isEqualTo(Monitoring.dashboard());
  }

  @Test
  void theSidecarLabelNamespaceAndAnnotationsAreValues() {
    ConfigMap configMap =
        dashboardConfigMap(
            ChartTest.objects(
                ChartTest.render(
                    ENABLED.andThen(
                        t ->
                            t.set("monitoring.grafanaDashboard.labelKey", "dashboards")
                                .set("monitoring.grafanaDashboard.labelValue", "drover")
                                .set("monitoring.grafanaDashboard.namespace", "grafana")
                                .set(
                                    "monitoring.grafanaDashboard.annotations.grafana_folder",
                                    "Ops")))));

    assertThat(configMap.getMetadata().getLabels())
        .containsEntry("dashboards", "drover")
        .doesNotContainKey("grafana_dashboard");
    assertThat(configMap.getMetadata().getNamespace()).isEqualTo("grafana");
    assertThat(configMap.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Ops");
  }

  @Test
  void theRuleAlertsOnAgentsFailuresLatenessMissedRunsAndTheOperatorEachExplained() {
    GenericKubernetesResource rule =
        Monitoring.prometheusRule(ChartTest.objects(ChartTest.render(ENABLED)));

    assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(Monitoring.alerts(rule))
        .extracting(a -> a.get("alert"))
        .containsExactly(
            "DroverAgentNotReady",
            "DroverRunFailureRatioHigh",
            "DroverScheduleLate",
            "DroverMissedRuns",
            "DroverOperatorDown");
    assertThat(Monitoring.alerts(rule))
        .allSatisfy(
            alert ->
                assertThat(annotations(alert))
                    .as("annotations of %s", alert.get("alert"))
                    .hasEntrySatisfying("summary", s -> assertThat(s).isNotBlank())
                    .hasEntrySatisfying("description", d -> assertThat(d).isNotBlank()));
    assertThat(exprs(rule))
        .containsEntry("DroverAgentNotReady", "sum(drover_agents{state=\"NotReady\"}) > 0")
        .containsEntry("DroverOperatorDown", "absent(up{job=\"drover-operator-metrics\"} == 1)");
    assertThat(exprs(rule).get("DroverRunFailureRatioHigh")).contains("[15m]").endsWith("> 0.2");
    assertThat(exprs(rule).get("DroverScheduleLate"))
        .startsWith("histogram_quantile(0.99,")
        .endsWith("> 30");
  }

  @Test
  void thresholdsTheOperatorJobAndRuleLabelsAreValues() {
    GenericKubernetesResource rule =
        Monitoring.prometheusRule(
            ChartTest.objects(
                ChartTest.render(
                    ENABLED.andThen(
                        t ->
                            t.set("monitoring.prometheusRule.operatorJob", "drover/operator")
                                .set("monitoring.prometheusRule.failureRatio", "0.05")
                                .set("monitoring.prometheusRule.failureRatioWindow", "1h")
                                .set("monitoring.prometheusRule.latenessSeconds", 5)
                                .set("monitoring.prometheusRule.labels.release", "prom")))));

    assertThat(rule.getMetadata().getLabels()).containsEntry("release", "prom");
    assertThat(exprs(rule))
        .containsEntry("DroverOperatorDown", "absent(up{job=\"drover/operator\"} == 1)");
    assertThat(exprs(rule).get("DroverRunFailureRatioHigh")).contains("[1h]").endsWith("> 0.05");
    assertThat(exprs(rule).get("DroverScheduleLate")).endsWith("> 5");
  }

  private static ConfigMap dashboardConfigMap(List<HasMetadata> objects) {
    return objects.stream()
        .filter(ConfigMap.class::isInstance)
        .map(ConfigMap.class::cast)
        .filter(c -> c.getMetadata().getName().equals("drover-grafana-dashboard"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no dashboard ConfigMap rendered"));
  }

  private static Map<Object, String> exprs(GenericKubernetesResource rule) {
    return Monitoring.alerts(rule).stream()
        .collect(Collectors.toMap(a -> a.get("alert"), a -> String.valueOf(a.get("expr")).trim()));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> annotations(Map<String, Object> alert) {
    return (Map<String, String>) alert.get("annotations");
  }

  private static boolean balanced(String expr) {
    StringBuilder open = new StringBuilder();
    for (char c : expr.toCharArray()) {
      int kind = "([{".indexOf(c);
      if (kind >= 0) {
        open.append(c);
      } else if (")]}".indexOf(c) >= 0) {
        if (open.isEmpty() || "([{".indexOf(open.charAt(open.length() - 1)) != ")]}".indexOf(c)) {
          return false;
        }
        open.setLength(open.length() - 1);
      }
    }
    return open.isEmpty();
  }
}
