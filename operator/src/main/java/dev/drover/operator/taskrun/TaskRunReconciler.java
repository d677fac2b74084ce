package dev.drover.operator.taskrun;

import dev.drover.api.agent.Agent;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.task.Task;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunStatus;
import dev.drover.operator.cache.SlimStore;
import dev.drover.operator.cache.Slimming;
import dev.drover.operator.metrics.RunMetrics;
import dev.drover.operator.support.EventRecorder;
import dev.drover.operator.support.Owners;
import dev.drover.operator.support.Statuses;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
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
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reconciles a TaskRun: plans its units, dispatches and retries them, and reports its status. */
@ControllerConfiguration(
    name = "taskrun",
    // A retry is asked for with an annotation, which makes no new generation.
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = RunUpdates.class))
public class TaskRunReconciler implements Reconciler<TaskRun> {
  private static final Logger log = LoggerFactory.getLogger(TaskRunReconciler.class);
  private static final String UNFINISHED_BY_AGENT = "unfinished-by-agent";

  private final KubernetesClient client;
  private final Clock clock;
  private final RunMetrics metrics;
  private ExecutionWriter writer;
  private InformerEventSource<TaskExecution, TaskRun> executions;
  private InformerEventSource<Agent, TaskRun> agents;
  private InformerEventSource<Node, TaskRun> nodes;
  private InformerEventSource<Task, TaskRun> tasks;

  public TaskRunReconciler(KubernetesClient client, Clock clock, RunMetrics metrics) {
    this.client = client;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, TaskRun>> prepareEventSources(EventSourceContext<TaskRun> context) {
    Set<String> namespaces = context.getControllerConfiguration().getEffectiveNamespaces();
    executions =
        new InformerEventSource<>(
            SlimStore.slimmed(
                    InformerEventSourceConfiguration.from(TaskExecution.class, TaskRun.class)
                        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(TaskRun.class)),
                    namespaces,
                    e -> Slimming.execution(e, RunStatusBuilder.MAX_RESULT_MESSAGE))
                .build(),
            context);
    executions.addIndexers(
        Map.of(
            UNFINISHED_BY_AGENT,
            e ->
                e.getSpec().agent() != null && !e.phase().isFinished()
                    ? List.of(e.getSpec().agent())
                    : List.of()));
    // Runs look agents (and, for pods, nodes) up when they dispatch; their changes wake no run.
    agents = lookupOnly(Agent.class, context);
    nodes = lookupOnly(Node.class, context);
    tasks = lookupOnly(Task.class, context);
    writer = new ExecutionWriter(client, executions, new EventRecorder(client, clock), clock);
    return List.of(executions, agents, nodes, tasks);
  }

  /** A cluster-wide cache read during reconciles, whose changes trigger none. */
  private static <R extends HasMetadata> InformerEventSource<R, TaskRun> lookupOnly(
      Class<R> type, EventSourceContext<TaskRun> context) {
    return new InformerEventSource<>(
        SlimStore.slimmed(
                InformerEventSourceConfiguration.from(type, TaskRun.class)
                    .withSecondaryToPrimaryMapper(resource -> Set.of())
                    .withWatchAllNamespaces(),
                Constants.WATCH_ALL_NAMESPACE_SET,
                Slimming::withoutBookkeeping)
            .build(),
        context);
  }

  @Override
  public UpdateControl<TaskRun> reconcile(TaskRun given, Context<TaskRun> context) {
    TemplateRun templated = TemplateRun.of(given, this::task);
    ManualRetry retry = ManualRetry.of(templated.run(), clock.instant());
    TaskRun run = retry.run();
    // Only what the run's executor places on is read; a finished run places nothing.
    boolean placing =
        run.getSpec() != null
            && (run.getStatus() == null
                || run.getStatus().phase() == null
                || !run.getStatus().phase().isFinished());
    boolean onNodes = placing && RunTargets.inPods(run.getSpec());
    List<Agent> knownAgents = placing && !onNodes ? agents.list().toList() : List.of();
    RunContext runContext =
        new RunContext(
            run,
            Owners.ownedBy(run, context.getSecondaryResources(TaskExecution.class)),
            knownAgents,
            load(knownAgents),
            onNodes ? nodes.list().toList() : List.of(),
            clock.instant(),
            templated.problems());
    RunDecision decision = RunPlanner.decide(runContext).withEventsBefore(retry.events());
    if (decision.delete()) {
      log.info(
          "Deleting finished run {}/{}: ttlSecondsAfterFinished elapsed",
          run.getMetadata().getNamespace(),
          run.getMetadata().getName());
      client.resource(run).delete();
      return UpdateControl.noUpdate();
    }
    writer.apply(run, decision);
    TaskRunStatus before = given.getStatus();
    TaskRunStatus after = templated.recordedIn(decision.status());
    if (Statuses.replaceIfChanged(given, after, context)) {
      metrics.transition(before, after);
    }
    writer.recordEvents(run, decision);
    UpdateControl<TaskRun> control = UpdateControl.noUpdate();
    return decision.requeueAfter() == null
        ? control
        : control.rescheduleAfter(decision.requeueAfter());
  }

  /**
   * The unfinished executions placed on an agent, from this controller's cache; empty until the
   * cache has been filled.
   */
  public Optional<List<TaskExecution>> unfinishedOn(String agent) {
    if (executions == null || !executions.isRunning()) {
      return Optional.empty();
    }
    return Optional.of(executions.byIndex(UNFINISHED_BY_AGENT, agent));
  }

  /**
   * A Task applied together with its run may reach the cache after the run: what the cache lacks is
   * read from the API server before the run is failed for it.
   */
  private Task task(String namespace, String name) {
    return tasks
        .get(new ResourceID(name, namespace))
        .orElseGet(() -> client.resources(Task.class).inNamespace(namespace).withName(name).get());
  }

  private Map<String, Integer> load(List<Agent> knownAgents) {
    Map<String, Integer> load = new HashMap<>();
    for (Agent agent : knownAgents) {
      String name = agent.getMetadata().getName();
      load.put(name, executions.byIndex(UNFINISHED_BY_AGENT, name).size());
    }
    return load;
  }
}
