package dev.drover.bench;

import dev.drover.api.flow.FlowTask;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.flow.TaskFlowSpec;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The three measured phases of {@link FlowBenchmark} against one operator, its agents and a watch
 * of everything they write; each adds its rows to the figures and a line on the machine.
 */
final class FlowPhases {
  /** The single runs one after another, and what they measured. */
  private record Baseline(
      List<String> runs, List<Long> toStart, List<Long> toSucceeded, List<Long> toRunSeen) {}

  private final FlowBenchmark options;
  private final KubernetesClient client;
  private final String namespace;
  private final OperatorProcess operator;
  private final WatchTimeline seen;
  private final RecordedStarts recorded;
  private final Map<String, String> selector;
  private final List<String[]> rows = new ArrayList<>();
  private final List<String> phases = new ArrayList<>();

  FlowPhases(
      FlowBenchmark options,
      KubernetesClient client,
      String namespace,
      OperatorProcess operator,
      WatchTimeline seen,
      RecordedStarts recorded,
      Map<String, String> selector) {
    this.options = options;
    this.client = client;
    this.namespace = namespace;
    this.operator = operator;
    this.seen = seen;
    this.recorded = recorded;
    this.selector = selector;
  }

  /** A figure, the flow's value and the baseline's beside it. */
  private void row(String figure, String flow, String baseline) {
    rows.add(new String[] {figure, flow, baseline});
  }

  List<String[]> rows() {
    return rows;
  }

  List<String> phases() {
    return phases;
  }

  /** Unmeasured single runs, so that the figures do not include a cold JVM. */
  void warmUp(int runs) throws Exception {
    for (int i = 0; i < runs; i++) {
      String name = "warm-up-" + i;
      client.resource(run(namespace, name)).create();
      await(seen.runEnd(name), name);
    }
  }

  /** 1. The baseline: single runs, each created once the one before has succeeded. */
  Baseline baseline() throws Exception {
    Thread.sleep(options.settle * 1000L);
    PhaseMark mark = PhaseMark.of(operator);
    List<String> singleRuns = new ArrayList<>();
    List<Long> createdAt = new ArrayList<>();
    for (int i = 0; i < options.singles; i++) {
      String name = "single-" + i;
      createdAt.add(WatchTimeline.now());
      client.resource(run(namespace, name)).create();
      await(seen.runEnd(name), name);
      singleRuns.add(name);
    }
    phases.add(mark.describe(operator, options.singles + " single runs one after another"));
    List<Long> toStart = new ArrayList<>();
    List<Long> toSucceeded = new ArrayList<>();
    List<Long> toRunSeen = new ArrayList<>();
    for (int i = 0; i < options.singles; i++) {
      String name = singleRuns.get(i);
      toStart.add(recorded.started(name) - createdAt.get(i));
      toSucceeded.add(seen.runSucceeded.get(name) - createdAt.get(i));
      toRunSeen.add(seen.runCreated.get(name) - createdAt.get(i));
    }
    return new Baseline(singleRuns, toStart, toSucceeded, toRunSeen);
  }

  /** 2. The chain: step i+1 depends on step i. */
  void chain(Baseline baseline) throws Exception {
    Thread.sleep(options.settle * 1000L);
    PhaseMark mark = PhaseMark.of(operator);
    List<FlowTask> steps = new ArrayList<>();
    for (int i = 0; i < options.chain; i++) {
      steps.add(task(step(i), i == 0 ? null : List.of(step(i - 1))));
    }
    long chainCreated = WatchTimeline.now();
    client.resource(flow(namespace, "chain", steps)).create();
    await(seen.flowEnd("chain"), "flow chain");
    long chainEnded = seen.flowEnded("chain");
    phases.add(mark.describe(operator, "chain of " + options.chain));
    Map<String, String> chainRuns = seen.runOfTask.get("chain");
    List<String> chainOrder = new ArrayList<>();
    for (int i = 0; i < options.chain; i++) {
      chainOrder.add(chainRuns.get(step(i)));
    }
    List<Long> link = new ArrayList<>();
    List<Long> linkToRunSeen = new ArrayList<>();
    for (int i = 1; i < options.chain; i++) {
      long previousSucceeded = seen.runSucceeded.get(chainOrder.get(i - 1));
      link.add(recorded.started(chainOrder.get(i)) - previousSucceeded);
      linkToRunSeen.add(seen.runCreated.get(chainOrder.get(i)) - previousSucceeded);
    }
    List<String> linkRuns = chainOrder.subList(1, options.chain);

    row(
        "**per link**: previous step Succeeded → next step's process started",
        Durations.Stats.of(link).text(),
        "create → process started: " + Durations.Stats.of(baseline.toStart()).text());
    row(
        "… of which: previous Succeeded → next TaskRun seen (flow reconcile)",
        Durations.Stats.of(linkToRunSeen).text(),
        "create → TaskRun seen: " + Durations.Stats.of(baseline.toRunSeen()).text());
    row(
        "… TaskRun seen → its TaskExecution seen (run reconcile, dispatch)",
        Durations.Stats.of(Durations.between(linkRuns, seen.runCreated, seen.executionCreated))
            .text(),
        Durations.Stats.of(
                Durations.between(baseline.runs(), seen.runCreated, seen.executionCreated))
            .text());
    row(
        "… TaskExecution seen → seen Running (agent watch, Running written)",
        Durations.Stats.of(
                Durations.between(linkRuns, seen.executionCreated, seen.executionRunning))
            .text(),
        Durations.Stats.of(
                Durations.between(baseline.runs(), seen.executionCreated, seen.executionRunning))
            .text());
    row(
        "… seen Running → process started",
        Durations.Stats.of(recorded.betweenStart(linkRuns, seen.executionRunning)).text(),
        Durations.Stats.of(recorded.betweenStart(baseline.runs(), seen.executionRunning)).text());
    row(
        "step: process started → its TaskRun seen Succeeded",
        Durations.Stats.of(recorded.fromStart(chainOrder, seen.runSucceeded)).text(),
        Durations.Stats.of(recorded.fromStart(baseline.runs(), seen.runSucceeded)).text());
    row(
        "step: its TaskRun seen → seen Succeeded",
        Durations.Stats.of(Durations.between(chainOrder, seen.runCreated, seen.runSucceeded))
            .text(),
        "create → TaskRun seen Succeeded: " + Durations.Stats.of(baseline.toSucceeded()).text());
    row(
        "first step: flow created → process started",
        Durations.ms(recorded.started(chainOrder.get(0)) - chainCreated),
        "create → process started: p50 "
            + Durations.ms(Durations.Stats.of(baseline.toStart()).p50()));
    row(
        "**chain of " + options.chain + "**: flow created → flow seen Succeeded",
        String.format(
            Locale.ROOT,
            "%s (%s per step)",
            Durations.seconds(chainEnded - chainCreated),
            Durations.ms((chainEnded - chainCreated) / options.chain)),
        String.format(
            Locale.ROOT,
            "%d × single run create → Succeeded p50 (%s): %s",
            options.chain,
            Durations.ms(Durations.Stats.of(baseline.toSucceeded()).p50()),
            Durations.seconds(options.chain * Durations.Stats.of(baseline.toSucceeded()).p50())));

    row(
        "… last step seen Succeeded → flow seen Succeeded",
        Durations.ms(chainEnded - seen.runSucceeded.get(chainOrder.get(options.chain - 1))),
        "");
  }

  /** 3. Wide: independent tasks, then as many plain runs at once. */
  void wide() throws Exception {
    Thread.sleep(options.settle * 1000L);
    PhaseMark mark = PhaseMark.of(operator);
    List<FlowTask> independent = new ArrayList<>();
    for (int i = 0; i < options.wide; i++) {
      independent.add(task(String.format(Locale.ROOT, "w%03d", i), null));
    }
    long wideCreated = WatchTimeline.now();
    client.resource(flow(namespace, "wide", independent)).create();
    await(seen.flowEnd("wide"), "flow wide");
    long wideEnded = seen.flowEnded("wide");
    phases.add(mark.describe(operator, "flow of " + options.wide + " independent tasks"));
    Collection<String> wideRuns = seen.runOfTask.get("wide").values();

    Thread.sleep(options.settle * 1000L);
    mark = PhaseMark.of(operator);
    List<String> plainRuns = new ArrayList<>();
    for (int i = 0; i < options.wide; i++) {
      plainRuns.add(String.format(Locale.ROOT, "plain-%03d", i));
    }
    long plainCreated = WatchTimeline.now();
    options.cluster.inParallel(
        options.wide, i -> client.resource(run(namespace, plainRuns.get(i))).create());
    long plainAllCreated = WatchTimeline.now();
    for (String name : plainRuns) {
      await(seen.runEnd(name), name);
    }
    phases.add(mark.describe(operator, options.wide + " plain TaskRuns at once"));

    row(
        "**" + options.wide + " wide**: created → flow seen Succeeded",
        Durations.seconds(wideEnded - wideCreated),
        options.wide
            + " plain TaskRuns created at once ("
            + options.cluster.threads
            + " threads) → last seen Succeeded: "
            + Durations.seconds(Durations.last(plainRuns, seen.runSucceeded) - plainCreated)
            + String.format(
                Locale.ROOT,
                " (flow: %.2f× this)",
                (double) (wideEnded - wideCreated)
                    / (Durations.last(plainRuns, seen.runSucceeded) - plainCreated)));
    row(
        "… created → last TaskRun seen",
        Durations.seconds(Durations.last(wideRuns, seen.runCreated) - wideCreated),
        Durations.seconds(Durations.last(plainRuns, seen.runCreated) - plainCreated)
            + " (creates returned after "
            + Durations.seconds(plainAllCreated - plainCreated)
            + ")");
    row(
        "… created → last process started",
        Durations.seconds(recorded.lastStart(wideRuns) - wideCreated),
        Durations.seconds(recorded.lastStart(plainRuns) - plainCreated));
    row(
        "… created → last TaskRun seen Succeeded",
        Durations.seconds(Durations.last(wideRuns, seen.runSucceeded) - wideCreated),
        Durations.seconds(Durations.last(plainRuns, seen.runSucceeded) - plainCreated));
    row(
        "… last TaskRun seen Succeeded → flow seen Succeeded",
        Durations.seconds(wideEnded - Durations.last(wideRuns, seen.runSucceeded)),
        "");
  }

  private static String step(int i) {
    return String.format(Locale.ROOT, "s%03d", i);
  }

  /**
   * The stand-in for {@code true}: it only records when it started, in nanoseconds since the epoch,
   * in a file named after its run.
   */
  private TaskRunSpec spec() {
    return TaskRunSpec.builder()
        .selector(new LabelSelectorBuilder().addToMatchLabels(selector).build())
        .dispatch(Dispatch.Single)
        .script("date +%s%N > '" + recorded.dir() + "'/\"$DROVER_RUN\"")
        .build();
  }

  private TaskRun run(String namespace, String name) {
    TaskRun run = new TaskRun();
    run.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    run.setSpec(spec());
    return run;
  }

  private FlowTask task(String name, List<String> dependsOn) {
    return new FlowTask(name, dependsOn, null, null, null, spec(), null, null);
  }

  private static TaskFlow flow(String namespace, String name, List<FlowTask> tasks) {
    TaskFlow flow = new TaskFlow();
    flow.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    flow.setSpec(new TaskFlowSpec(null, null, null, null, tasks, null));
    return flow;
  }

  private static void await(java.util.concurrent.CompletableFuture<RunPhase> end, String what)
      throws Exception {
    RunPhase phase = end.get(10, TimeUnit.MINUTES);
    if (phase != RunPhase.Succeeded) {
      throw new IllegalStateException(what + " ended " + phase + ", not Succeeded");
    }
  }
}
