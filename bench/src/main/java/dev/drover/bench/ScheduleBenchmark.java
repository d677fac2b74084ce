package dev.drover.bench;

import static dev.drover.bench.BenchCluster.row;
import static dev.drover.bench.BenchCluster.seconds;

import dev.drover.api.schedule.RunTemplate;
import dev.drover.api.schedule.ScheduledTask;
import dev.drover.api.schedule.ScheduledTaskSpec;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Schedule precision against a real API server: lateness of N every-minute ScheduledTasks, and how
 * long M ScheduledTasks due at one instant take to create their runs, beside the time the API
 * server needs for M plain creates. Prints a Markdown table.
 */
@Command(
    name = "drover-bench",
    mixinStandardHelpOptions = true,
    description = "Measures Drover's schedule lateness on a real API server.")
public class ScheduleBenchmark implements Callable<Integer> {
  @Mixin BenchCluster cluster;

  @Option(
      names = "--every-minute",
      defaultValue = "500",
      description = "ScheduledTasks firing every minute (default ${DEFAULT-VALUE}).")
  int everyMinute;

  @Option(
      names = "--minutes",
      defaultValue = "3",
      description = "Minutes the every-minute phase runs (default ${DEFAULT-VALUE}).")
  int minutes;

  @Option(
      names = "--burst",
      defaultValue = "10000",
      description = "ScheduledTasks due at one instant (default ${DEFAULT-VALUE}).")
  int burst;

  @Option(names = "--floor-only", description = "Measure the plain-create floor and stop.")
  boolean floorOnly;

  @Option(
      names = "--no-every-minute",
      description = "Skip the every-minute phase: the floor, then the burst.")
  boolean noEveryMinute;

  private final List<String> rows = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new ScheduleBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    try (KubernetesClient client = cluster.client()) {
      String suffix = Long.toString(Instant.now().getEpochSecond(), 36);
      String floorNamespace = BenchCluster.namespace(client, "bench-floor-" + suffix);
      String minuteNamespace = BenchCluster.namespace(client, "bench-minute-" + suffix);
      String burstNamespace = BenchCluster.namespace(client, "bench-burst-" + suffix);
      Path log = Files.createTempFile("drover-bench-operator", ".log");
      System.out.println("operator log: " + log);

      Duration floor = createAll(client, burst, i -> plainRun(floorNamespace, i));
      rows.add(
          row(
              "plain create floor",
              burst + " TaskRuns, " + cluster.threads + " threads",
              "total " + seconds(floor) + " (" + rate(burst, floor) + "/s)"));
      if (floorOnly) {
        BenchCluster.printTable(rows);
        return 0;
      }

      if (!noEveryMinute) {
        everyMinute(client, minuteNamespace, log);
      }
      burst(client, burstNamespace, floor, log);
    }
    BenchCluster.printTable(rows);
    return 0;
  }

  private void everyMinute(KubernetesClient client, String minuteNamespace, Path log)
      throws Exception {
    try (OperatorProcess operator = cluster.startOperator(minuteNamespace, log)) {
      Instant nextMinute = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);
      waitUntil(nextMinute.plusSeconds(1));
      Duration cpuBefore = operator.cpuTime();
      Duration created = createAll(client, everyMinute, i -> everyMinuteTask(minuteNamespace, i));
      Instant end = nextMinute.plusSeconds(60L * (minutes + 1) + 15);
      waitUntil(end);
      String metrics = operator.metrics();
      rows.add(
          lateness(
              everyMinute
                  + " every minute, "
                  + minutes
                  + " min (created in "
                  + seconds(created)
                  + ")",
              metrics,
              Duration.between(nextMinute, end),
              operator.cpuTime().minus(cpuBefore)));
    }
  }

  private void burst(KubernetesClient client, String burstNamespace, Duration floor, Path log)
      throws Exception {
    try (OperatorProcess operator = cluster.startOperator(burstNamespace, log)) {
      Instant due =
          Instant.now().plus(floor.multipliedBy(2)).plusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
      Duration cpuBefore = operator.cpuTime();
      createAll(client, burst, i -> oneShotTask(burstNamespace, i, due));
      Instant settledBy = Instant.now();
      System.out.printf(
          "created %d one-shot tasks; due at %s (%s from now)%n",
          burst, due, seconds(Duration.between(settledBy, due)));
      String metrics = operator.metrics();
      while (OperatorProcess.value(metrics, "drover_schedule_lateness_seconds_count", null) < burst
          && Instant.now().isBefore(due.plus(floor.multipliedBy(10)).plusSeconds(120))) {
        Thread.sleep(500);
        metrics = operator.metrics();
      }
      Duration allCreated =
          Duration.ofMillis(
              (long)
                  (OperatorProcess.value(metrics, "drover_schedule_lateness_seconds_max", null)
                      * 1000));
      rows.add(
          lateness(
              burst + " due at one instant",
              metrics,
              Duration.between(settledBy, Instant.now()),
              operator.cpuTime().minus(cpuBefore)));
      rows.add(
          row(
              "burst vs floor",
              "last run created " + seconds(allCreated) + " after the due instant",
              String.format(
                  Locale.ROOT,
                  "%.2f× the plain-create floor",
                  (double) allCreated.toMillis() / floor.toMillis())));
      rows.add(
          row(
              "memory",
              "operator heap after a full GC at the end of the burst; RSS then",
              operator.heapAfterFullGc()
                  + " MiB; "
                  + JvmMemory.rssMebibytes(operator.pid())
                  + " MiB"));
    }
  }

  private String lateness(String what, String metrics, Duration window, Duration cpu) {
    double count = OperatorProcess.value(metrics, "drover_schedule_lateness_seconds_count", null);
    double p50 =
        OperatorProcess.quantileFromBuckets(metrics, "drover_schedule_lateness_seconds", 0.5);
    double p99 =
        OperatorProcess.quantileFromBuckets(metrics, "drover_schedule_lateness_seconds", 0.99);
    double max = OperatorProcess.value(metrics, "drover_schedule_lateness_seconds_max", null);
    double heap = OperatorProcess.value(metrics, "jvm_memory_used_bytes", "area=\"heap\"");
    return row(
        "lateness",
        what,
        String.format(
            Locale.ROOT,
            "%d runs; p50 ≤ %.0f ms, p99 ≤ %.0f ms, max %.0f ms; heap used %.0f MiB; CPU %s over"
                + " %s",
            (long) count,
            p50 * 1000,
            p99 * 1000,
            max * 1000,
            heap / 1024 / 1024,
            seconds(cpu),
            seconds(window)));
  }

  private Duration createAll(KubernetesClient client, int count, IntFunction<HasMetadata> object)
      throws Exception {
    return cluster.inParallel(count, i -> client.resource(object.apply(i)).create());
  }

  private static TaskRunSpec nowhere() {
    // Matches no agent and waits for none: each run ends NoTargets at once, so the runs
    // themselves cost little.
    return TaskRunSpec.builder()
        .selector(new LabelSelectorBuilder().addToMatchLabels("role", "benchmark-nobody").build())
        .command(List.of("true"))
        .targetWaitSeconds(0L)
        .build();
  }

  private static TaskRun plainRun(String namespace, int i) {
    TaskRun run = new TaskRun();
    run.setMetadata(
        new ObjectMetaBuilder().withName("plain-" + i).withNamespace(namespace).build());
    run.setSpec(nowhere());
    return run;
  }

  private static ScheduledTask everyMinuteTask(String namespace, int i) {
    return task(namespace, "minute-" + i, "* * * * *", null);
  }

  private static ScheduledTask oneShotTask(String namespace, int i, Instant due) {
    return task(namespace, "burst-" + i, null, due.toString());
  }

  private static ScheduledTask task(String namespace, String name, String schedule, String at) {
    ScheduledTask task = new ScheduledTask();
    task.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    task.setSpec(
        ScheduledTaskSpec.builder()
            .schedule(schedule)
            .at(at)
            .successfulRunsHistoryLimit(1)
            .failedRunsHistoryLimit(1)
            .runTemplate(new RunTemplate(null, nowhere()))
            .build());
    return task;
  }

  private static void waitUntil(Instant instant) throws InterruptedException {
    Duration wait = Duration.between(Instant.now(), instant);
    if (!wait.isNegative()) {
      Thread.sleep(wait.toMillis());
    }
  }

  private static String rate(int count, Duration d) {
    return String.format(Locale.ROOT, "%.0f", count / (d.toMillis() / 1000.0));
  }
}
