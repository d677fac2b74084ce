package dev.drover.operator.taskrun;

import dev.drover.api.agent.Agent;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunStatus;
import dev.drover.operator.metrics.RunMetrics;
import dev.drover.operator.support.EventRecorder;
import dev.drover.operator.support.ApiErrors;
import dev.drover.operator.support.ExecutionOutcomes;
import dev.drover.operator.support.ObjectEvent;
import dev.drover.operator.support.Owners;
import dev.drover.operator.taskrun.RunDecision.RecordedOutcome;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reconciles a TaskRun: plans its units, dispatches and retries them, and reports its status. */
@ControllerConfiguration(name = "taskrun")
public class TaskRunReconciler implements Reconciler<TaskRun> {
  private static final Logger log = LoggerFactory.getLogger(TaskRunReconciler.class);
  private static final String UNFINISHED_BY_AGENT = "unfinished-by-agent";
  private static final int WRITERS = 32;

  private final KubernetesClient client;
  private final Clock clock;
  private final EventRecorder events;
  private final RunMetrics metrics;
  private final ExecutorService writers = writerPool();
  private InformerEventSource<TaskExecution, TaskRun> executions;
  private InformerEventSource<Agent, TaskRun> agents;
  private InformerEventSource<Node, TaskRun> nodes;

  public TaskRunReconciler(KubernetesClient client, Clock clock, RunMetrics metrics) {
    this.client = client;
    this.clock = clock;
    this.metrics = metrics;
    this.events = new EventRecorder(client, clock);
  }

  /** Threads for concurrent creates; idle ones end, so an idle operator holds none. */
  private static ExecutorService writerPool() {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(WRITERS, WRITERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "execution-writer");
          thread.setDaemon(true);
          return thread;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  @Override
  public List<EventSource<?, TaskRun>> prepareEventSources(EventSourceContext<TaskRun> context) {
    executions =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(TaskExecution.class, TaskRun.class)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(TaskRun.class))
                .build(),
            context);
    executions.addIndexers(
        Map.of(
            UNFINISHED_BY_AGENT,
            e -> e.getSpec().agent() != null && !e.phase().isFinished() ? List.of(e.getSpec().agent()) : List.of()));
    // Runs look agents (and, for pods, nodes) up when they dispatch; their changes wake no run.
    agents = lookupOnly(Agent.class, context);
    nodes = lookupOnly(Node.class, context);
    return List.of(executions, agents, nodes);
  }

  /** A cluster-wide cache read during reconciles, whose changes trigger none. */
  private static <R extends HasMetadata> InformerEventSource<R, TaskRun> lookupOnly(Class<R> type, EventSourceContext<TaskRun> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, TaskRun.class)
            .withSecondaryToPrimaryMapper(resource -> Set.of())
            .withWatchAllNamespaces()
            .build(),
        context);
  }

  @Override
  public UpdateControl<TaskRun> reconcile(TaskRun run, Context<TaskRun> context) {
    List<Agent> knownAgents = agents.list().toList();
    RunContext runContext =
        new RunContext(
            run,
            Owners.ownedBy(run, context.getSecondaryResources(TaskExecution.class)),
            knownAgents,
            load(knownAgents),
            nodes.list().toList(),
            clock.instant());
    RunDecision decision = RunPlanner.decide(runContext);
    if (decision.delete()) {
      log.info("Deleting finished run {}/{}: ttlSecondsAfterFinished elapsed", run.getMetadata().getNamespace(), run.getMetadata().getName());
      client.resource(run).delete();
      return UpdateControl.noUpdate();
    }
    apply(run, decision);
    TaskRunStatus before = run.getStatus();
    if (!decision.status().equals(before)) {
      // A whole-status update guarded by resourceVersion: a patch computed against a stale cache
      // could scramble the results list, an update from a stale cache fails and is retried.
      PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
          run,
          context,
          current -> {
            current.setStatus(decision.status());
            return current;
          });
      metrics.transition(before, decision.status());
    }
    UpdateControl<TaskRun> control = UpdateControl.noUpdate();
    return decision.requeueAfter() == null ? control : control.rescheduleAfter(decision.requeueAfter());
  }

  private void create(TaskRun run, ResourceID runId, TaskExecution execution) {
    try {
      executions.handleRecentResourceCreate(runId, client.resource(execution).create());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        reportIfHeldByAnotherRun(run, execution);
        return;
      }
      if (e.getCode() == 403 || e.getCode() == 422) {
        // Refused (RBAC, admission, validation): say so on the run; the SDK retries with backoff.
        events.record(run, ObjectEvent.warning("create-refused/" + e.getCode(), "CreateRefused",
            "could not create execution " + execution.getMetadata().getName() + ": " + ApiErrors.message(e)));
      }
      throw e;
    }
  }

  /**
   * A name already taken is usually this run's own execution, created by an earlier pass; when it
   * belongs to a deleted run of the same name, the garbage collector has yet to remove it.
   */
  private void reportIfHeldByAnotherRun(TaskRun run, TaskExecution execution) {
    String name = execution.getMetadata().getName();
    TaskExecution existing = client.resources(TaskExecution.class).inNamespace(execution.getMetadata().getNamespace()).withName(name).get();
    if (existing != null && Owners.ownedBy(run, List.of(existing)).isEmpty()) {
      events.record(run, ObjectEvent.warning("name-taken", "NameTaken",
          "execution " + name + " still belongs to an earlier run of this name; waiting for the garbage collector to remove it"));
    }
  }

  /** Waits for every write, then fails with the first failure, if any. */
  private static void awaitAll(List<CompletableFuture<Void>> writes) {
    try {
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private Map<String, Integer> load(List<Agent> knownAgents) {
    Map<String, Integer> load = new HashMap<>();
    for (Agent agent : knownAgents) {
      String name = agent.getMetadata().getName();
      load.put(name, executions.byIndex(UNFINISHED_BY_AGENT, name).size());
    }
    return load;
  }

  private void apply(TaskRun run, RunDecision decision) {
    ResourceID runId = ResourceID.fromResource(run);
    // A fan-out's executions are created side by side: one at a time, 500 took seconds.
    List<CompletableFuture<Void>> creates =
        decision.create().stream().map(e -> CompletableFuture.runAsync(() -> create(run, runId, e), writers)).toList();
    awaitAll(creates);
    // Updates carry the cached resourceVersion: a stale cache gets a conflict, never a double dispatch.
    for (TaskExecution execution : decision.dispatch()) {
      executions.handleRecentResourceUpdate(runId, client.resource(execution).update(), execution);
    }
    for (TaskExecution execution : decision.cancel()) {
      client
          .resources(TaskExecution.class)
          .inNamespace(execution.getMetadata().getNamespace())
          .withName(execution.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"cancel\":true}}");
    }
    for (RecordedOutcome outcome : decision.recordedOutcomes()) {
      ExecutionOutcomes.record(
          client, outcome.execution(), outcome.phase(), outcome.reason(), outcome.message(), clock.instant());
    }
    decision.events().forEach(event -> events.record(run, event));
  }

}
