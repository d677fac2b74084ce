package dev.drover.bench;

import static dev.drover.bench.BenchCluster.row;

import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The measured phases of {@link AgentScaleBenchmark} against one operator, one simulated fleet and
 * a watch of everything they write; each adds its rows and a line on the machine.
 */
final class AgentScalePhases {
  private final AgentScaleBenchmark options;
  private final KubernetesClient client;
  private final String namespace;
  private final AgentFloors floors;
  private final OperatorProcess operator;
  private final SimulatedFleet fleet;
  private final WatchTimeline seen;
  private final RecordedStarts recorded;
  private final List<String> rows;
  private final List<String> phases;

  AgentScalePhases(
      AgentScaleBenchmark options,
      KubernetesClient client,
      String namespace,
      AgentFloors floors,
      OperatorProcess operator,
      SimulatedFleet fleet,
      WatchTimeline seen,
      RecordedStarts recorded,
      List<String> rows,
      List<String> phases) {
    this.options = options;
    this.client = client;
    this.namespace = namespace;
    this.floors = floors;
    this.operator = operator;
    this.fleet = fleet;
    this.seen = seen;
    this.recorded = recorded;
    this.rows = rows;
    this.phases = phases;
  }

  /** Unmeasured single runs and a small Broadcast, so that no figure includes a cold JVM. */
  void warmUp() throws Exception {
    for (int i = 0; i < 5; i++) {
      String name = "warm-up-" + i;
      client.resource(single(name)).create();
      await(name);
    }
    client.resource(broadcast("warm-up-broadcast", fleet.selecting(fleet.size()))).create();
    await("warm-up-broadcast");
  }

  /** Single runs one after another, each created once the one before is seen finished. */
  void latency() throws Exception {
    settle();
    PhaseMark mark = PhaseMark.of(operator);
    Optional<WatchCacheMark> watches = WatchCacheMark.of(client);
    List<String> runs = new ArrayList<>();
    List<Long> toStart = new ArrayList<>();
    List<Long> toSucceeded = new ArrayList<>();
    for (int i = 0; i < options.latencyRuns; i++) {
      String name = "latency-" + i;
      long created = WatchTimeline.now();
      client.resource(single(name)).create();
      await(name);
      runs.add(name);
      toStart.add(recorded.started(name) - created);
      toSucceeded.add(seen.runSucceeded.get(name) - created);
    }
    phases.add(mark.describe(operator, options.latencyRuns + " single runs one after another"));
    watches.ifPresent(w -> rows.add(w.describe(client, "single runs one after another")));
    String what = options.latencyRuns + " single runs one after another, idle fleet";
    rows.add(row("dispatch latency", what + ": create → process started", stats(toStart)));
    rows.add(row("dispatch latency", what + ": create → run seen Succeeded", stats(toSucceeded)));
    rows.add(
        row(
            "dispatch latency",
            "… of which TaskRun seen → its TaskExecution seen",
            stats(Durations.between(runs, seen.runCreated, seen.executionCreated))));
    rows.add(
        row(
            "dispatch latency",
            "… TaskExecution seen → seen Running",
            stats(Durations.between(runs, seen.executionCreated, seen.executionRunning))));
    rows.add(
        row(
            "dispatch latency",
            "… seen Running → process started",
            stats(recorded.betweenStart(runs, seen.executionRunning))));
    rows.add(
        row(
            "dispatch latency",
            "… process started → run seen Succeeded",
            stats(recorded.fromStart(runs, seen.runSucceeded))));
  }

  /** A Broadcast of {@code true} to {@code agents} agents, and its floor before it. */
  void fanOut(int agents) throws Exception {
    settle();
    Duration floor = floors.broadcast("broadcast-" + agents, agents, options.fanOutFloorThreads);
    settle();
    PhaseMark mark = PhaseMark.of(operator);
    Optional<WatchCacheMark> watches = WatchCacheMark.of(client);
    String name = "broadcast-" + agents;
    long created = WatchTimeline.now();
    client.resource(broadcast(name, fleet.selecting(agents))).create();
    await(name);
    long succeeded = seen.runSucceeded.get(name);
    phases.add(mark.describe(operator, "Broadcast to " + agents + " agents"));
    watches.ifPresent(w -> rows.add(w.describe(client, "Broadcast to " + agents + " agents")));
    String what = "Broadcast of `true` to " + agents + " agents";
    rows.add(
        row(
            "fan-out",
            what + ": apply → run seen Succeeded",
            String.format(
                Locale.ROOT,
                "%s; floor %s (%d execution creates and status writes, %d at a time): %.2f× the"
                    + " floor",
                Durations.seconds(succeeded - created),
                BenchCluster.seconds(floor),
                agents,
                options.fanOutFloorThreads,
                (succeeded - created) / 1e6 / floor.toMillis())));
    rows.add(
        row(
            "fan-out",
            "… apply → last execution seen created / Running / Succeeded",
            Durations.seconds(seen.lastExecutionCreated.get(name) - created)
                + " / "
                + Durations.seconds(seen.lastExecutionRunning.get(name) - created)
                + " / "
                + Durations.seconds(seen.lastExecutionSucceeded.get(name) - created)));
  }

  /** Many single runs created at once over part of the fleet, and their floor before them. */
  void throughput() throws Exception {
    settle();
    int runs = options.throughputRuns;
    Duration floor = floors.singles("single", runs, options.throughputFloorThreads);
    settle();
    PhaseMark mark = PhaseMark.of(operator);
    Optional<WatchCacheMark> watches = WatchCacheMark.of(client);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      names.add("throughput-" + i);
    }
    long created = WatchTimeline.now();
    options.cluster.inParallel(runs, i -> client.resource(single(names.get(i))).create());
    long allCreated = WatchTimeline.now();
    for (String name : names) {
      await(name);
    }
    long last = Durations.last(names, seen.runSucceeded);
    phases.add(mark.describe(operator, runs + " single runs at once"));
    watches.ifPresent(w -> rows.add(w.describe(client, runs + " single runs at once")));
    double perSecond = runs / ((last - created) / 1e9);
    double floorPerSecond = runs / (floor.toMillis() / 1e3);
    rows.add(
        row(
            "throughput",
            String.format(
                Locale.ROOT,
                "%d single runs created at once (%d threads, done in %s) over %d agents: first"
                    + " create → last run seen Succeeded",
                runs,
                options.cluster.threads,
                Durations.seconds(allCreated - created),
                options.throughputAgents),
            String.format(
                Locale.ROOT,
                "%s, %.0f runs/s; floor %s, %.0f runs/s (%d at a time): %.0f%% of the floor",
                Durations.seconds(last - created),
                perSecond,
                BenchCluster.seconds(floor),
                floorPerSecond,
                options.throughputFloorThreads,
                100 * perSecond / floorPerSecond)));
  }

  private String stats(List<Long> values) {
    return Durations.Stats.of(values).text();
  }

  private void settle() throws InterruptedException {
    Thread.sleep(options.settle * 1000L);
  }

  /**
   * A run on one agent of the throughput group whose command records when it started, in
   * nanoseconds since the epoch, in a file named after its run.
   */
  private TaskRun single(String name) {
    return run(
        name,
        TaskRunSpec.builder()
            .selector(fleet.selecting(options.throughputAgents))
            .dispatch(Dispatch.Single)
            .script("date +%s%N > '" + recorded.dir() + "'/\"$DROVER_RUN\"")
            .build());
  }

  private TaskRun broadcast(String name, LabelSelector agents) {
    return run(
        name,
        TaskRunSpec.builder()
            .selector(agents)
            .dispatch(Dispatch.Broadcast)
            .command(List.of("true"))
            .build());
  }

  private TaskRun run(String name, TaskRunSpec spec) {
    TaskRun run = new TaskRun();
    run.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    run.setSpec(spec);
    return run;
  }

  private void await(String run) throws Exception {
    CompletableFuture<RunPhase> end = seen.runEnd(run);
    RunPhase phase = end.get(10, TimeUnit.MINUTES);
    if (phase != RunPhase.Succeeded) {
      throw new IllegalStateException(run + " ended " + phase + ", not Succeeded");
    }
  }
}
