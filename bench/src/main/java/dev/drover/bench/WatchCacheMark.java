package dev.drover.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Locale;
import java.util.Optional;

/**
 * What the API server's watch cache did for the watches of TaskExecutions during a phase: watches
 * it closed because their reader fell behind a burst of events, and the events it replayed to
 * watches that reconnected. Read from the API server's own metrics.
 */
record WatchCacheMark(double closed, double replayed) {
  private static final String RESOURCE = "resource=\"taskexecutions.drover.dev\"";

  /** The counters now, or nothing when the API server does not show its metrics to this client. */
  static Optional<WatchCacheMark> of(KubernetesClient client) {
    try {
      String metrics = client.raw("/metrics");
      return Optional.of(
          new WatchCacheMark(
              OperatorProcess.value(metrics, "apiserver_terminated_watchers_total", RESOURCE),
              OperatorProcess.value(metrics, "apiserver_init_events_total", RESOURCE)));
    } catch (KubernetesClientException e) {
      return Optional.empty();
    }
  }

  /** The row for the phase since this mark. */
  String describe(KubernetesClient client, String phase) {
    return of(client)
        .map(
            now ->
                BenchCluster.row(
                    "API server",
                    phase + ": watches of executions closed for falling behind / events replayed",
                    String.format(
                        Locale.ROOT, "%.0f / %.0f", now.closed - closed, now.replayed - replayed)))
        .orElse(BenchCluster.row("API server", phase, "its metrics are not readable"));
  }
}
