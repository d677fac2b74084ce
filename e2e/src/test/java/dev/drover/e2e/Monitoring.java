package dev.drover.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The chart's Grafana dashboard and PrometheusRule as shipped, and the metric names their PromQL
 * refers to.
 */
final class Monitoring {
  static final Path DASHBOARD =
      Path.of(System.getProperty("drover.root", ".."))
          .toAbsolutePath()
          .normalize()
          .resolve("charts/drover/dashboards/drover.json");

  /** Both monitoring objects on; other values as given. */
  static final Consumer<TemplateCommand> ENABLED =
      t ->
          t.set("monitoring.grafanaDashboard.enabled", true)
              .set("monitoring.prometheusRule.enabled", true);

  // What in PromQL names no metric: strings, label matchers, ranges, label lists of by/on/...,
  // and Grafana's variables.
  private static final Pattern NOT_METRICS =
      Pattern.compile(
          "\"(?:[^\"\\\\]|\\\\.)*\""
              + "|\\{[^}]*}"
              + "|\\[[^]]*]"
              + "|\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)"
              + "|\\$\\{?\\w+}?");
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w.])[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "by", "without", "inf", "nan");

  private Monitoring() {}

  static JsonNode dashboard() throws IOException {
    return new ObjectMapper().readTree(DASHBOARD.toFile());
  }

  static List<String> dashboardExprs(JsonNode dashboard) {
    List<String> exprs = new ArrayList<>();
    dashboard
        .path("panels")
        .forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
    return exprs;
  }

  /** The PrometheusRule among rendered objects. */
  static GenericKubernetesResource prometheusRule(List<HasMetadata> objects) {
    return objects.stream()
        .filter(o -> "PrometheusRule".equals(o.getKind()))
        .map(GenericKubernetesResource.class::cast)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no PrometheusRule rendered"));
  }

  /** The rule's alerting rules, each a map of alert, expr, for, labels and annotations. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> alerts(GenericKubernetesResource rule) {
    Map<String, Object> spec = (Map<String, Object>) rule.getAdditionalProperties().get("spec");
    return ((List<Map<String, Object>>) spec.get("groups"))
        .stream().flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream()).toList();
  }

  /** Every expression of the dashboard and of the rule rendered with monitoring enabled. */
  static List<String> shippedExprs() throws IOException {
    GenericKubernetesResource rule = prometheusRule(ChartTest.objects(ChartTest.render(ENABLED)));
    return Stream.concat(
            dashboardExprs(dashboard()).stream(),
            alerts(rule).stream().map(a -> String.valueOf(a.get("expr"))))
        .toList();
  }

  /** The metric names an expression selects: identifiers that are no function, keyword or label. */
  static Set<String> metricNames(String expr) {
    Set<String> names = new TreeSet<>();
    Matcher identifier = IDENTIFIER.matcher(NOT_METRICS.matcher(expr).replaceAll(" "));
    while (identifier.find()) {
      if (!KEYWORDS.contains(identifier.group().toLowerCase())) {
        names.add(identifier.group());
      }
    }
    return names;
  }
}
