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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * TaskFlow overhead against a real API server, with the packaged operator and agents running as
 * separate processes on this machine: a chain of single-target steps (per-link overhead), a wide
 * flow of independent tasks (time to complete), and beside them, measured in the same run, single
 * TaskRuns one after another and as many plain TaskRuns at once as the wide flow has tasks. Every
 * command records its own start, in nanoseconds, to a file named after its run. Prints Markdown
 * tables.
 */
@Command(
    name = "drover-bench-flows",
    mixinStandardHelpOptions = true,
    description = "Measures Drover's TaskFlow overhead on a real API server with real agents.")
public class FlowBenchmark implements Callable<Integer> {
  @Mixin BenchCluster cluster;

  @Option(
      names = "--agent-jar",
      defaultValue = "agent-image/target/drover-agent.jar",
      description = "The packaged agent (default ${DEFAULT-VALUE}).")
  Path agentJar;

  @Option(
      names = "--agents",
      defaultValue = "4",
      description = "Agents started on this machine (default ${DEFAULT-VALUE}).")
  int agents;

  @Option(
      names = "--agent-capacity",
      defaultValue = "50",
      description = "Capacity of each agent (default ${DEFAULT-VALUE}).")
  int agentCapacity;

  @Option(
      names = "--singles",
      defaultValue = "50",
      description =
          "Single TaskRuns run one after another as the baseline (default ${DEFAULT-VALUE}).")
  int singles;

  @Option(
      names = "--warm-up",
      defaultValue = "5",
      description = "Unmeasured single TaskRuns run first (default ${DEFAULT-VALUE}).")
  int warmUp;

  @Option(
      names = "--chain",
      defaultValue = "100",
      description = "Steps of the chain flow (default ${DEFAULT-VALUE}).")
  int chain;

  @Option(
      names = "--wide",
      defaultValue = "200",
      description =
          "Independent tasks of the wide flow, and plain TaskRuns of its floor (default"
              + " ${DEFAULT-VALUE}; a flow holds at most 200 tasks).")
  int wide;

  @Option(
      names = "--settle",
      defaultValue = "5",
      description =
          "Seconds to wait between phases, so that one phase's trailing writes do not fall into the"
              + " next (default ${DEFAULT-VALUE}).")
  int settle;

  private Path starts;
  private Map<String, String> selector;

  public static void main(String[] args) {
    System.exit(new CommandLine(new FlowBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String suffix = Long.toString(Instant.now().getEpochSecond(), 36);
    selector = Map.of("role", "bench", "bench-run", suffix);
    starts = Files.createTempDirectory("drover-bench-flow-starts");
    Path operatorLog = Files.createTempFile("drover-bench-operator", ".log");
    Path agentLog = Files.createTempFile("drover-bench-agents", ".log");
    System.out.println("operator log: " + operatorLog + "; agent log: " + agentLog);
    List<String[]> rows = new ArrayList<>();
    List<String> phases = new ArrayList<>();
    try (KubernetesClient client = cluster.client()) {
      String namespace = BenchCluster.namespace(client, "bench-flow-" + suffix);
      try (OperatorProcess operator = cluster.startOperator(namespace, operatorLog);
          AgentProcesses started =
              AgentProcesses.start(
                  client,
                  agentJar,
                  cluster.kubeconfig,
                  namespace,
                  "bench-" + suffix,
                  "role=bench,bench-run=" + suffix,
                  agents,
                  agentCapacity,
                  agentLog);
          WatchTimeline seen = new WatchTimeline(client, namespace)) {
        for (int i = 0; i < warmUp; i++) {
          String name = "warm-up-" + i;
          client.resource(run(namespace, name)).create();
          await(seen.runEnd(name), name);
        }

        // 1. The baseline: single runs, each created once the one before has succeeded.
        Thread.sleep(settle * 1000L);
        PhaseMark mark = PhaseMark.of(operator);
        List<String> singleRuns = new ArrayList<>();
        List<Long> createdAt = new ArrayList<>();
        for (int i = 0; i < singles; i++) {
          String name = "single-" + i;
          createdAt.add(WatchTimeline.now());
          client.resource(run(namespace, name)).create();
          await(seen.runEnd(name), name);
          singleRuns.add(name);
        }
        phases.add(mark.describe(operator, singles + " single runs one after another"));
        List<Long> toStart = new ArrayList<>();
        List<Long> toSucceeded = new ArrayList<>();
        List<Long> toRunSeen = new ArrayList<>();
        for (int i = 0; i < singles; i++) {
          String name = singleRuns.get(i);
          toStart.add(started(name) - createdAt.get(i));
          toSucceeded.add(seen.runSucceeded.get(name) - createdAt.get(i));
          toRunSeen.add(seen.runCreated.get(name) - createdAt.get(i));
        }

        // 2. The chain: step i+1 depends on step i.
        Thread.sleep(settle * 1000L);
        mark = PhaseMark.of(operator);
        List<FlowTask> steps = new ArrayList<>();
        for (int i = 0; i < chain; i++) {
          steps.add(task(step(i), i == 0 ? null : List.of(step(i - 1))));
        }
        long chainCreated = WatchTimeline.now();
        client.resource(flow(namespace, "chain", steps)).create();
        await(seen.flowEnd("chain"), "flow chain");
        long chainEnded = seen.flowEnded("chain");
        phases.add(mark.describe(operator, "chain of " + chain));
        Map<String, String> chainRuns = seen.runOfTask.get("chain");
        List<String> chainOrder = new ArrayList<>();
        for (int i = 0; i < chain; i++) {
          chainOrder.add(chainRuns.get(step(i)));
        }
        List<Long> link = new ArrayList<>();
        List<Long> linkToRunSeen = new ArrayList<>();
        for (int i = 1; i < chain; i++) {
          long previousSucceeded = seen.runSucceeded.get(chainOrder.get(i - 1));
          link.add(started(chainOrder.get(i)) - previousSucceeded);
          linkToRunSeen.add(seen.runCreated.get(chainOrder.get(i)) - previousSucceeded);
        }
        List<String> linkRuns = chainOrder.subList(1, chain);

        rows.add(
            new String[] {
              "**per link**: previous step Succeeded → next step's process started",
              Stats.of(link).text(),
              "create → process started: " + Stats.of(toStart).text()
            });
        rows.add(
            new String[] {
              "… of which: previous Succeeded → next TaskRun seen (flow reconcile)",
              Stats.of(linkToRunSeen).text(),
              "create → TaskRun seen: " + Stats.of(toRunSeen).text()
            });
        rows.add(
            new String[] {
              "… TaskRun seen → its TaskExecution seen (run reconcile, dispatch)",
              Stats.of(between(linkRuns, seen.runCreated, seen.executionCreated)).text(),
              Stats.of(between(singleRuns, seen.runCreated, seen.executionCreated)).text()
            });
        rows.add(
            new String[] {
              "… TaskExecution seen → seen Running (agent watch, Running written)",
              Stats.of(between(linkRuns, seen.executionCreated, seen.executionRunning)).text(),
              Stats.of(between(singleRuns, seen.executionCreated, seen.executionRunning)).text()
            });
        rows.add(
            new String[] {
              "… seen Running → process started",
              Stats.of(betweenStart(linkRuns, seen.executionRunning)).text(),
              Stats.of(betweenStart(singleRuns, seen.executionRunning)).text()
            });
        rows.add(
            new String[] {
              "step: process started → its TaskRun seen Succeeded",
              Stats.of(fromStart(chainOrder, seen.runSucceeded)).text(),
              Stats.of(fromStart(singleRuns, seen.runSucceeded)).text()
            });
        rows.add(
            new String[] {
              "step: its TaskRun seen → seen Succeeded",
              Stats.of(between(chainOrder, seen.runCreated, seen.runSucceeded)).text(),
              "create → TaskRun seen Succeeded: " + Stats.of(toSucceeded).text()
            });
        rows.add(
            new String[] {
              "first step: flow created → process started",
              ms(started(chainOrder.get(0)) - chainCreated),
              "create → process started: p50 " + ms(Stats.of(toStart).p50())
            });
        rows.add(
            new String[] {
              "**chain of " + chain + "**: flow created → flow seen Succeeded",
              String.format(
                  Locale.ROOT,
                  "%s (%s per step)",
                  seconds(chainEnded - chainCreated),
                  ms((chainEnded - chainCreated) / chain)),
              String.format(
                  Locale.ROOT,
                  "%d × single run create → Succeeded p50 (%s): %s",
                  chain,
                  ms(Stats.of(toSucceeded).p50()),
                  seconds(chain * Stats.of(toSucceeded).p50()))
            });

        rows.add(
            new String[] {
              "… last step seen Succeeded → flow seen Succeeded",
              ms(chainEnded - seen.runSucceeded.get(chainOrder.get(chain - 1))),
              ""
            });

        // 3. Wide: independent tasks, then as many plain runs at once.
        Thread.sleep(settle * 1000L);
        mark = PhaseMark.of(operator);
        List<FlowTask> independent = new ArrayList<>();
        for (int i = 0; i < wide; i++) {
          independent.add(task(String.format(Locale.ROOT, "w%03d", i), null));
        }
        long wideCreated = WatchTimeline.now();
        client.resource(flow(namespace, "wide", independent)).create();
        await(seen.flowEnd("wide"), "flow wide");
        long wideEnded = seen.flowEnded("wide");
        phases.add(mark.describe(operator, "flow of " + wide + " independent tasks"));
        Collection<String> wideRuns = seen.runOfTask.get("wide").values();

        Thread.sleep(settle * 1000L);
        mark = PhaseMark.of(operator);
        List<String> plainRuns = new ArrayList<>();
        for (int i = 0; i < wide; i++) {
          plainRuns.add(String.format(Locale.ROOT, "plain-%03d", i));
        }
        long plainCreated = WatchTimeline.now();
        cluster.inParallel(wide, i -> client.resource(run(namespace, plainRuns.get(i))).create());
        long plainAllCreated = WatchTimeline.now();
        for (String name : plainRuns) {
          await(seen.runEnd(name), name);
        }
        phases.add(mark.describe(operator, wide + " plain TaskRuns at once"));

        rows.add(
            new String[] {
              "**" + wide + " wide**: created → flow seen Succeeded",
              seconds(wideEnded - wideCreated),
              wide
                  + " plain TaskRuns created at once ("
                  + cluster.threads
                  + " threads) → last seen Succeeded: "
                  + seconds(last(plainRuns, seen.runSucceeded) - plainCreated)
                  + String.format(
                      Locale.ROOT,
                      " (flow: %.2f× this)",
                      (double) (wideEnded - wideCreated)
                          / (last(plainRuns, seen.runSucceeded) - plainCreated))
            });
        rows.add(
            new String[] {
              "… created → last TaskRun seen",
              seconds(last(wideRuns, seen.runCreated) - wideCreated),
              seconds(last(plainRuns, seen.runCreated) - plainCreated)
                  + " (creates returned after "
                  + seconds(plainAllCreated - plainCreated)
                  + ")"
            });
        rows.add(
            new String[] {
              "… created → last process started",
              seconds(lastStart(wideRuns) - wideCreated),
              seconds(lastStart(plainRuns) - plainCreated)
            });
        rows.add(
            new String[] {
              "… created → last TaskRun seen Succeeded",
              seconds(last(wideRuns, seen.runSucceeded) - wideCreated),
              seconds(last(plainRuns, seen.runSucceeded) - plainCreated)
            });
        rows.add(
            new String[] {
              "… last TaskRun seen Succeeded → flow seen Succeeded",
              seconds(wideEnded - last(wideRuns, seen.runSucceeded)),
              ""
            });
      }
    }
    System.out.println();
    System.out.println("| figure | flow | baseline, same run |");
    System.out.println("|---|---|---|");
    rows.forEach(r -> System.out.println("| " + String.join(" | ", r) + " |"));
    System.out.println();
    System.out.println(
        "| phase | load average before → after | machine CPU busy | operator CPU | reconciles |");
    System.out.println("|---|---|---|---|---|");
    phases.forEach(System.out::println);
    return 0;
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
        .script("date +%s%N > '" + starts + "'/\"$DROVER_RUN\"")
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

  /** When the run's command started, as it recorded it. */
  private long started(String run) throws IOException {
    return Long.parseLong(Files.readString(starts.resolve(run)).strip());
  }

  private static void await(java.util.concurrent.CompletableFuture<RunPhase> end, String what)
      throws Exception {
    RunPhase phase = end.get(10, TimeUnit.MINUTES);
    if (phase != RunPhase.Succeeded) {
      throw new IllegalStateException(what + " ended " + phase + ", not Succeeded");
    }
  }

  private static List<Long> between(
      List<String> runs, Map<String, Long> from, Map<String, Long> to) {
    return runs.stream().map(r -> to.get(r) - from.get(r)).toList();
  }

  private List<Long> betweenStart(List<String> runs, Map<String, Long> from) throws IOException {
    List<Long> values = new ArrayList<>();
    for (String run : runs) {
      values.add(started(run) - from.get(run));
    }
    return values;
  }

  private List<Long> fromStart(List<String> runs, Map<String, Long> to) throws IOException {
    List<Long> values = new ArrayList<>();
    for (String run : runs) {
      values.add(to.get(run) - started(run));
    }
    return values;
  }

  private static long last(Collection<String> runs, Map<String, Long> times) {
    return runs.stream().mapToLong(times::get).max().orElseThrow();
  }

  private long lastStart(Collection<String> runs) throws IOException {
    long last = Long.MIN_VALUE;
    for (String run : runs) {
      last = Math.max(last, started(run));
    }
    return last;
  }

  static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }

  /** Exact nearest-rank quantiles of durations in nanoseconds. */
  record Stats(List<Long> sorted) {
    static Stats of(List<Long> values) {
      return new Stats(values.stream().sorted().toList());
    }

    long quantile(double q) {
      int rank = (int) Math.ceil(q * sorted.size());
      return sorted.get(Math.max(0, rank - 1));
    }

    long p50() {
      return quantile(0.5);
    }

    String text() {
      return "p50 "
          + ms(quantile(0.5))
          + ", p99 "
          + ms(quantile(0.99))
          + ", max "
          + ms(sorted.get(sorted.size() - 1))
          + " (n="
          + sorted.size()
          + ")";
    }
  }

  /** What the machine and the operator were doing at the start of a phase. */
  record PhaseMark(String loadBefore, long[] machineBefore, long cpuMillis, String metrics) {
    static PhaseMark of(OperatorProcess operator) throws IOException, InterruptedException {
      return new PhaseMark(load(), machine(), operator.cpuTime().toMillis(), operator.metrics());
    }

    String describe(OperatorProcess operator, String phase)
        throws IOException, InterruptedException {
      String after = operator.metrics();
      ToLongFunction<String> reconciles =
          controller -> Math.round(reconciles(after, controller) - reconciles(metrics, controller));
      return String.format(
          Locale.ROOT,
          "| %s | %s → %s | %.0f%% | %.1f s | taskflow %d, taskrun %d |",
          phase,
          loadBefore,
          load(),
          busy(machineBefore, machine()),
          (operator.cpuTime().toMillis() - cpuMillis) / 1000.0,
          reconciles.applyAsLong("taskflow"),
          reconciles.applyAsLong("taskrun"));
    }

    private static double reconciles(String metrics, String controller) {
      return OperatorProcess.value(
          metrics,
          "operator_sdk_controllers_execution_reconcile_seconds_count",
          "controller=\"" + controller + "\"");
    }

    /** Busy and total jiffies of all CPUs so far, from /proc/stat. */
    private static long[] machine() throws IOException {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < fields.length; i++) {
        total += Long.parseLong(fields[i]);
      }
      long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
      return new long[] {total - idle, total};
    }

    /** How busy all CPUs together were between two readings, in percent of one CPU. */
    private static double busy(long[] before, long[] after) {
      double share = (double) (after[0] - before[0]) / (after[1] - before[1]);
      return share * 100 * Runtime.getRuntime().availableProcessors();
    }

    private static String load() throws IOException {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    }
  }
}
