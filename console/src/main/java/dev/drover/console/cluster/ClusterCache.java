package dev.drover.console.cluster;

import dev.drover.api.DroverLabels;
import dev.drover.api.agent.Agent;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.schedule.ScheduledTask;
import dev.drover.api.task.Task;
import dev.drover.api.taskrun.TaskRun;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Every Drover object the console shows, kept current by informers (one watch per kind for all
 * callers), so that pages and API calls read memory, never the API server. Cached objects lose
 * their managed fields and last-applied annotation: nothing shows them, and they are often the
 * larger half of an object.
 */
public final class ClusterCache implements AutoCloseable {
  private static final String BY_RUN = "run";
  private static final long LIST_PAGE = 500;
  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final SharedIndexInformer<TaskRun> runs;
  private final SharedIndexInformer<TaskExecution> executions;
  private final SharedIndexInformer<Agent> agents;
  private final SharedIndexInformer<ScheduledTask> schedules;
  private final SharedIndexInformer<TaskFlow> flows;
  private final SharedIndexInformer<Task> tasks;

  public ClusterCache(KubernetesClient client) {
    runs = inform(client, TaskRun.class, run -> Phases.of(run).name());
    executions =
        inform(
            client,
            TaskExecution.class,
            execution ->
                execution.getStatus() == null || execution.getStatus().phase() == null
                    ? null
                    : execution.getStatus().phase().name());
    executions.addIndexers(
        Map.of(
            BY_RUN,
            execution ->
                execution.getSpec() == null
                    ? List.of()
                    : List.of(
                        execution.getMetadata().getNamespace() + "/" + execution.getSpec().run())));
    agents = inform(client, Agent.class, agent -> Agents.ready(agent) ? "Ready" : "NotReady");
    schedules = inform(client, ScheduledTask.class, schedule -> null);
    flows = inform(client, TaskFlow.class, flow -> Phases.of(flow).name());
    tasks = inform(client, Task.class, task -> null);
  }

  private <T extends HasMetadata> SharedIndexInformer<T> inform(
      KubernetesClient client, Class<T> type, Function<T, String> phase) {
    // Listed a page at a time: 100,000 executions in one answer would need their whole JSON and
    // their objects in memory at once.
    SharedIndexInformer<T> informer =
        client.resources(type).inAnyNamespace().withLimit(LIST_PAGE).runnableInformer(0);
    informer.itemStore(new SlimStore<>());
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(T object) {
            publish("ADDED", object, phase);
          }

          @Override
          public void onUpdate(T before, T after) {
            publish("MODIFIED", after, phase);
          }

          @Override
          public void onDelete(T object, boolean finalStateUnknown) {
            publish("DELETED", object, phase);
          }
        });
    informers.add(informer);
    return informer;
  }

  /** Keeps objects without what no page shows (managed fields, last-applied configuration). */
  private static final class SlimStore<T extends HasMetadata> extends BasicItemStore<T> {
    SlimStore() {
      super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public T put(String key, T object) {
      object.getMetadata().setManagedFields(null);
      if (object.getMetadata().getAnnotations() != null) {
        object.getMetadata().getAnnotations().remove(LAST_APPLIED);
      }
      return super.put(key, object);
    }
  }

  private <T extends HasMetadata> void publish(String type, T object, Function<T, String> phase) {
    Change change =
        new Change(
            type,
            object.getKind(),
            Optional.ofNullable(object.getMetadata().getNamespace()).orElse(""),
            object.getMetadata().getName(),
            phase.apply(object));
    listeners.forEach(listener -> listener.accept(change));
  }

  /** Starts every informer and waits until each has its first list, or gives up. */
  public void start(Duration patience) throws Exception {
    for (SharedIndexInformer<?> informer : informers) {
      informer.start().toCompletableFuture().get(patience.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  public boolean isWatching() {
    return informers.stream().allMatch(informer -> informer.isWatching() && informer.hasSynced());
  }

  public void onChange(Consumer<Change> listener) {
    listeners.add(listener);
  }

  public void removeListener(Consumer<Change> listener) {
    listeners.remove(listener);
  }

  public List<TaskRun> runs() {
    return runs.getStore().list();
  }

  public Optional<TaskRun> run(String namespace, String name) {
    return Optional.ofNullable(runs.getStore().getByKey(namespace + "/" + name));
  }

  /**
   * Waits until the cache holds a run, up to a bound: a page asked for right after the run's create
   * is served from the cache, and would otherwise answer 404 for a run that exists.
   */
  public boolean awaitRun(String namespace, String name, Duration patience)
      throws InterruptedException {
    CountDownLatch seen = new CountDownLatch(1);
    Consumer<Change> listener =
        change -> {
          if (run(namespace, name).isPresent()) {
            seen.countDown();
          }
        };
    onChange(listener);
    try {
      return run(namespace, name).isPresent()
          || seen.await(patience.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      removeListener(listener);
    }
  }

  public List<TaskExecution> executions() {
    return executions.getStore().list();
  }

  public Optional<TaskExecution> execution(String namespace, String name) {
    return Optional.ofNullable(executions.getStore().getByKey(namespace + "/" + name));
  }

  public List<TaskExecution> executionsOf(String namespace, String run) {
    return executions.getIndexer().byIndex(BY_RUN, namespace + "/" + run);
  }

  public List<Agent> agents() {
    return agents.getStore().list();
  }

  public Optional<Agent> agent(String name) {
    return Optional.ofNullable(agents.getStore().getByKey(name));
  }

  public List<ScheduledTask> schedules() {
    return schedules.getStore().list();
  }

  public Optional<ScheduledTask> schedule(String namespace, String name) {
    return Optional.ofNullable(schedules.getStore().getByKey(namespace + "/" + name));
  }

  public List<TaskFlow> flows() {
    return flows.getStore().list();
  }

  public Optional<TaskFlow> flow(String namespace, String name) {
    return Optional.ofNullable(flows.getStore().getByKey(namespace + "/" + name));
  }

  /** The runs a flow started, by their flow-task label. */
  public List<TaskRun> runsOfFlow(String namespace, String flow) {
    return runs().stream()
        .filter(run -> namespace.equals(run.getMetadata().getNamespace()))
        .filter(run -> flow.equals(labels(run).get(DroverLabels.FLOW)))
        .toList();
  }

  public List<Task> tasks() {
    return tasks.getStore().list();
  }

  public Optional<Task> task(String namespace, String name) {
    return Optional.ofNullable(tasks.getStore().getByKey(namespace + "/" + name));
  }

  /** The namespaces that hold objects of any of these lists. */
  public static Collection<String> namespacesOf(List<? extends HasMetadata> objects) {
    return objects.stream().map(object -> object.getMetadata().getNamespace()).distinct().toList();
  }

  public static Map<String, String> labels(HasMetadata object) {
    return object.getMetadata().getLabels() == null ? Map.of() : object.getMetadata().getLabels();
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
