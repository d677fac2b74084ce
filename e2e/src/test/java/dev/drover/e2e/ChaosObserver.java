package dev.drover.e2e;

import dev.drover.e2e.ChaosLedger.UnitKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Watches TaskRuns and TaskExecutions for the whole chaos run, because scheduled runs are pruned
 * (with their executions) long before the end: it remembers every run's incarnations (uids), its
 * last phase, and every unit with an execution that ended Lost.
 */
final class ChaosObserver implements AutoCloseable {
  static final Set<String> TERMINAL = Set.of("Succeeded", "Failed", "Cancelled");
  static final Set<String> FINISHED_EXECUTION =
      Set.of("Succeeded", "Failed", "TimedOut", "Cancelled", "Lost");

  /** What the API server told of one TaskRun name. */
  static final class RunRecord {
    final Set<String> uids = ConcurrentHashMap.newKeySet();
    volatile String phase;
    volatile String scheduledTask;
    volatile String scheduledTime;
    volatile boolean deleted;
  }

  static final ResourceDefinitionContext TASK_RUNS = context("taskruns", "TaskRun");
  static final ResourceDefinitionContext TASK_EXECUTIONS =
      context("taskexecutions", "TaskExecution");

  final Map<String, RunRecord> runs = new ConcurrentHashMap<>();
  final Set<UnitKey> lostUnits = ConcurrentHashMap.newKeySet();

  /** The unit of every execution seen, by run, to know which units each run had. */
  final Map<String, Set<String>> unitsByRun = new ConcurrentHashMap<>();

  /** The last state seen of every execution, by name, to tell why a run did not finish. */
  final Map<String, GenericKubernetesResource> executions = new ConcurrentHashMap<>();

  private final SharedIndexInformer<GenericKubernetesResource> runInformer;
  private final SharedIndexInformer<GenericKubernetesResource> executionInformer;

  ChaosObserver(KubernetesClient client, String namespace) {
    runInformer =
        client
            .genericKubernetesResources(TASK_RUNS)
            .inNamespace(namespace)
            .inform(handler(this::recordRun, this::recordDeletedRun));
    executionInformer =
        client
            .genericKubernetesResources(TASK_EXECUTIONS)
            .inNamespace(namespace)
            .inform(handler(this::recordExecution, this::recordExecution));
  }

  private static ResourceDefinitionContext context(String plural, String kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("drover.dev")
        .withVersion("v1alpha1")
        .withPlural(plural)
        .withKind(kind)
        .withNamespaced(true)
        .build();
  }

  private static ResourceEventHandler<GenericKubernetesResource> handler(
      Consumer<GenericKubernetesResource> seen, Consumer<GenericKubernetesResource> deleted) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource resource) {
        seen.accept(resource);
      }

      @Override
      public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
        seen.accept(after);
      }

      @Override
      public void onDelete(GenericKubernetesResource resource, boolean finalStateUnknown) {
        deleted.accept(resource);
      }
    };
  }

  private RunRecord recordRun(GenericKubernetesResource run) {
    RunRecord record = runs.computeIfAbsent(run.getMetadata().getName(), n -> new RunRecord());
    record.uids.add(run.getMetadata().getUid());
    String phase = run.get("status", "phase");
    if (phase != null) {
      record.phase = phase;
    }
    Map<String, String> labels = run.getMetadata().getLabels();
    if (labels != null && labels.containsKey("drover.dev/scheduled-task")) {
      record.scheduledTask = labels.get("drover.dev/scheduled-task");
      record.scheduledTime = run.getMetadata().getAnnotations().get("drover.dev/scheduled-time");
    }
    return record;
  }

  private void recordDeletedRun(GenericKubernetesResource run) {
    recordRun(run).deleted = true;
  }

  private void recordExecution(GenericKubernetesResource execution) {
    String run = execution.get("spec", "run");
    String unit = unitOf(execution);
    unitsByRun.computeIfAbsent(run, r -> ConcurrentHashMap.newKeySet()).add(unit);
    executions.put(execution.getMetadata().getName(), execution);
    if ("Lost".equals(execution.get("status", "phase"))) {
      lostUnits.add(new UnitKey(run, unit));
    }
  }

  /** A run's executions not Succeeded, Failed, TimedOut, Cancelled or Lost, with their status. */
  List<String> unfinishedExecutions(String run) {
    return executions.values().stream()
        .filter(e -> run.equals(e.get("spec", "run")))
        .filter(e -> !FINISHED_EXECUTION.contains(phaseOf(e)))
        .map(
            e ->
                e.getMetadata().getName()
                    + " on "
                    + e.get("spec", "agent")
                    + " "
                    + e.getAdditionalProperties().get("status"))
        .sorted()
        .toList();
  }

  private static String phaseOf(GenericKubernetesResource execution) {
    String phase = execution.get("status", "phase");
    return phase == null ? "" : phase;
  }

  /** The unit as the ledger names it: the item (Distribute), the agent (Broadcast), or single. */
  static String unitOf(GenericKubernetesResource execution) {
    String item = execution.get("spec", "item");
    String target = execution.get("spec", "target");
    return item != null ? item : target != null ? target : "single";
  }

  @Override
  public void close() {
    runInformer.close();
    executionInformer.close();
  }
}
