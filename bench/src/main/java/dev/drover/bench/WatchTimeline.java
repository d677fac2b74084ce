package dev.drover.bench;

import dev.drover.api.DroverLabels;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * When this process saw each TaskRun, TaskExecution and TaskFlow of one namespace reach each phase
 * that matters, from watches started before anything is created. Times are nanoseconds since the
 * epoch, taken as each event is handled. Executions are keyed by the run they belong to, so it
 * suits runs of one execution (Single, no retries).
 */
final class WatchTimeline implements AutoCloseable {
  final Map<String, Long> runCreated = new ConcurrentHashMap<>();
  final Map<String, Long> runSucceeded = new ConcurrentHashMap<>();
  final Map<String, Long> executionCreated = new ConcurrentHashMap<>();
  final Map<String, Long> executionRunning = new ConcurrentHashMap<>();
  final Map<String, Long> executionSucceeded = new ConcurrentHashMap<>();

  /** For runs of many executions: when the last of each run's executions was seen so far. */
  final Map<String, Long> lastExecutionCreated = new ConcurrentHashMap<>();

  final Map<String, Long> lastExecutionRunning = new ConcurrentHashMap<>();
  final Map<String, Long> lastExecutionSucceeded = new ConcurrentHashMap<>();
  private final Set<String> executionsSeenRunning = ConcurrentHashMap.newKeySet();
  private final Set<String> executionsSeen = ConcurrentHashMap.newKeySet();

  /** Run name by flow task name, for each flow seen. */
  final Map<String, Map<String, String>> runOfTask = new ConcurrentHashMap<>();

  private final Map<String, CompletableFuture<RunPhase>> runEnds = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<RunPhase>> flowEnds = new ConcurrentHashMap<>();
  private final Map<String, Long> flowEnded = new ConcurrentHashMap<>();
  private final List<SharedIndexInformer<?>> informers;

  WatchTimeline(KubernetesClient client, String namespace) {
    informers =
        List.of(
            client.resources(TaskRun.class).inNamespace(namespace).inform(handler(this::onRun), 0),
            client
                .resources(TaskExecution.class)
                .inNamespace(namespace)
                .inform(handler(this::onExecution), 0),
            client
                .resources(TaskFlow.class)
                .inNamespace(namespace)
                .inform(handler(this::onFlow), 0));
  }

  static long now() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** Completes with the run's final phase once it has finished. */
  CompletableFuture<RunPhase> runEnd(String run) {
    return runEnds.computeIfAbsent(run, k -> new CompletableFuture<>());
  }

  /** Completes with the flow's final phase once it has finished. */
  CompletableFuture<RunPhase> flowEnd(String flow) {
    return flowEnds.computeIfAbsent(flow, k -> new CompletableFuture<>());
  }

  /** When the flow was seen finished. */
  long flowEnded(String flow) {
    return flowEnded.get(flow);
  }

  private void onRun(TaskRun run) {
    long now = now();
    String name = run.getMetadata().getName();
    runCreated.putIfAbsent(name, now);
    Map<String, String> labels = run.getMetadata().getLabels();
    if (labels != null && labels.containsKey(DroverLabels.FLOW_TASK)) {
      runOfTask
          .computeIfAbsent(labels.get(DroverLabels.FLOW), k -> new ConcurrentHashMap<>())
          .putIfAbsent(labels.get(DroverLabels.FLOW_TASK), name);
    }
    RunPhase phase = run.getStatus() == null ? null : run.getStatus().phase();
    if (phase != null && phase.isFinished()) {
      if (phase == RunPhase.Succeeded) {
        runSucceeded.putIfAbsent(name, now);
      }
      runEnd(name).complete(phase);
    }
  }

  private void onExecution(TaskExecution execution) {
    long now = now();
    String run = execution.getSpec().run();
    String name = execution.getMetadata().getName();
    executionCreated.putIfAbsent(run, now);
    if (executionsSeen.add(name)) {
      lastExecutionCreated.merge(run, now, Math::max);
    }
    ExecutionPhase phase = execution.phase();
    if (phase == ExecutionPhase.Running || phase.isFinished()) {
      executionRunning.putIfAbsent(run, now);
      if (executionsSeenRunning.add(name)) {
        lastExecutionRunning.merge(run, now, Math::max);
      }
    }
    if (phase == ExecutionPhase.Succeeded) {
      executionSucceeded.putIfAbsent(run, now);
      lastExecutionSucceeded.merge(run, now, Math::max);
    }
  }

  private void onFlow(TaskFlow flow) {
    long now = now();
    RunPhase phase = flow.getStatus() == null ? null : flow.getStatus().phase();
    if (phase != null && phase.isFinished()) {
      flowEnded.putIfAbsent(flow.getMetadata().getName(), now);
      flowEnd(flow.getMetadata().getName()).complete(phase);
    }
  }

  private static <T> ResourceEventHandler<T> handler(Consumer<T> seen) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        seen.accept(object);
      }

      @Override
      public void onUpdate(T before, T after) {
        seen.accept(after);
      }

      @Override
      public void onDelete(T object, boolean finalStateUnknown) {}
    };
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
