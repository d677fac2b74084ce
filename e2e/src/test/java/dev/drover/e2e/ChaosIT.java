package dev.drover.e2e;

import static org.awaitility.Awaitility.await;

import dev.drover.e2e.ChaosInvariants.Check;
import dev.drover.e2e.ChaosWorkload.PlannedRun;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The chaos suite: a seeded random timeline of faults (the leader SIGKILLed, agents SIGKILLed and
 * SIGSTOPped, the kube-apiserver restarted, executions deleted by hand) over a mixed workload on
 * two operator replicas with leader election and five agents, then the invariants over the ledger
 * every command appends to and what the API server showed.
 *
 * <p>{@code -Dchaos.seed} (default: the clock), {@code -Dchaos.minutes} of faults (default 1),
 * {@code -Dchaos.runs} (default 20 a minute), {@code -Dchaos.settleMinutes} for the runs to finish
 * afterwards (default 10).
 */
class ChaosIT {
  private static final Path WORK = RealCluster.ROOT.resolve("e2e/target/e2e-work/ChaosIT");
  private static final List<String> OPERATORS = List.of("operator-a", "operator-b");
  private static final List<String> AGENTS =
      IntStream.rangeClosed(1, 5).mapToObj(i -> "chaos-agent-" + i).toList();
  private static final int AGENT_LEASE_SECONDS = 6;
  private static final int SCHEDULED_TASKS = 20;

  private final long seed = Long.getLong("chaos.seed", System.currentTimeMillis() % 100_000);
  private final double minutes = Double.parseDouble(System.getProperty("chaos.minutes", "1"));
  private final int runCount =
      Integer.getInteger("chaos.runs", (int) Math.max(20, Math.round(20 * minutes)));
  private final Duration settleBound = Duration.ofMinutes(Long.getLong("chaos.settleMinutes", 10));

  private final AtomicInteger probes = new AtomicInteger();

  @Test
  void faultsOverAMixedWorkloadKeepEveryInvariant() throws Exception {
    deleteRecursively(WORK);
    Optional<ChaosApiServer> started = ChaosApiServer.start(WORK.resolve("apiserver"));
    if (started.isEmpty()) {
      System.err.println(
          "[drover chaos] SKIPPED: no kube-api-test binaries (kube-apiserver, etcd) in "
              + RealApiServer.BINARIES
              + "/<version>-linux-amd64; the chaos suite restarts its own API server");
    }
    Assumptions.assumeTrue(started.isPresent(), "no kube-api-test binaries");
    System.out.println("[drover chaos] seed " + seed + ", " + minutes + " min of faults");
    try (ChaosApiServer apiServer = started.get();
        KubernetesClient client =
            new KubernetesClientBuilder()
                .withConfig(
                    io.fabric8.kubernetes.client.Config.fromKubeconfig(
                        Files.readString(apiServer.kubeconfig())))
                .build();
        DroverProcesses processes =
            new DroverProcesses(
                RealCluster.ROOT,
                apiServer.kubeconfig(),
                apiServer.kubeconfig(),
                WORK.resolve("logs"))) {
      Kubectl kubectl = new Kubectl(apiServer.kubeconfig());
      try {
        run(apiServer, client, processes, kubectl);
      } catch (Throwable failure) {
        System.err.println(processes.logTails());
        throw failure;
      }
    }
  }

  private void run(
      ChaosApiServer apiServer, KubernetesClient client, DroverProcesses processes, Kubectl kubectl)
      throws Exception {
    installCrds(kubectl);
    kubectl.ok("create", "namespace", ChaosFaults.SYSTEM);
    for (String operator : OPERATORS) {
      processes.startOperator(
          operator,
          RealCluster.freePort(),
          "--leader-election",
          "--leader-election-namespace",
          ChaosFaults.SYSTEM);
    }
    for (int i = 0; i < AGENTS.size(); i++) {
      processes.startAgent(
          AGENTS.get(i),
          ChaosWorkload.SELECTOR + ",zone=z" + (i + 1),
          RealCluster.NS,
          4,
          RealCluster.freePort());
    }
    for (String agent : AGENTS) {
      await()
          .atMost(RealCluster.PATIENCE)
          .until(() -> kubectl.run("get", "agent", agent).exitCode() == 0);
      kubectl.ok("wait", "--for=condition=Ready", "agent/" + agent, "--timeout=120s");
    }

    Random random = new Random(seed);
    ChaosLedger ledger = new ChaosLedger(WORK.resolve("ledger.txt"));
    ChaosWorkload workload = new ChaosWorkload(new Random(random.nextLong()), ledger);
    List<PlannedRun> planned = IntStream.range(0, runCount).mapToObj(workload::next).toList();
    Map<String, Set<String>> plannedUnits = new HashMap<>();
    planned.forEach(run -> plannedUnits.put(run.name(), run.units()));

    try (ChaosObserver observer = new ChaosObserver(client, RealCluster.NS);
        ChaosFaults faults =
            new ChaosFaults(
                new Random(random.nextLong()),
                processes,
                OPERATORS,
                AGENTS,
                AGENT_LEASE_SECONDS,
                apiServer,
                client,
                kubectl,
                () -> createProbe(client, workload))) {
      for (int i = 1; i <= SCHEDULED_TASKS; i++) {
        createUntilAccepted(client, workload.schedule("every-5s-" + i));
      }
      Duration length = Duration.ofMillis(Math.round(minutes * 60_000));
      ScheduledExecutorService submitter = Executors.newSingleThreadScheduledExecutor();
      Deque<PlannedRun> toSubmit = new ArrayDeque<>(planned);
      long period = Math.max(1, length.toMillis() / runCount);
      submitter.scheduleAtFixedRate(
          () -> submitDue(client, toSubmit), 0, period, TimeUnit.MILLISECONDS);

      faults.run(length).get(length.toMinutes() + 30, TimeUnit.MINUTES);
      await().atMost(Duration.ofMinutes(10)).until(toSubmit::isEmpty);
      submitter.shutdownNow();
      Instant faultsOver = Instant.now();
      for (int i = 1; i <= SCHEDULED_TASKS; i++) {
        patchUntilAccepted(client, "every-5s-" + i);
      }
      try {
        await()
            .atMost(settleBound)
            .pollInterval(Duration.ofSeconds(5))
            .until(
                () ->
                    planned.stream().allMatch(r -> observer.runs.containsKey(r.name()))
                        && observer.runs.values().stream()
                            .allMatch(r -> ChaosObserver.TERMINAL.contains(r.phase)));
      } catch (ConditionTimeoutException e) {
        // The invariants name the runs that did not finish.
      }
      Duration settled = Duration.between(faultsOver, Instant.now());
      faults.awaitRecoveries();

      Map<String, Set<String>> expectedUnits = new HashMap<>();
      observer.unitsByRun.forEach((run, units) -> expectedUnits.put(run, Set.copyOf(units)));
      plannedUnits.forEach(
          (run, units) ->
              expectedUnits.merge(
                  run,
                  units,
                  (a, b) -> {
                    Set<String> all = new java.util.HashSet<>(a);
                    all.addAll(b);
                    return all;
                  }));
      observer.runs.keySet().forEach(run -> expectedUnits.putIfAbsent(run, Set.of()));
      ChaosInvariants invariants =
          new ChaosInvariants(observer, expectedUnits, ledger.read(), faults);
      List<Check> checks =
          List.of(
              invariants.everyRunTerminal(settleBound, settled),
              invariants.everyUnitRan(),
              invariants.noUnexplainedRepeat(),
              invariants.noDueTimeFiredTwice(),
              invariants.noStaleProcessOutlivedItsFence(),
              invariants.recoveredFromEveryFault());
      String report = report(faults, observer, invariants, checks, settled);
      System.out.println(report);
      Files.writeString(WORK.resolve("chaos-report-seed-" + seed + ".md"), report);

      SoftAssertions softly = new SoftAssertions();
      for (Check check : checks) {
        softly.assertThat(check.violations()).as(check.name()).isEmpty();
      }
      softly.assertAll();
    }
  }

  private String report(
      ChaosFaults faults,
      ChaosObserver observer,
      ChaosInvariants invariants,
      List<Check> checks,
      Duration settled) {
    StringBuilder text = new StringBuilder("\n[drover chaos] results\n\n");
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"seed", String.valueOf(seed)});
    rows.add(new String[] {"minutes of faults", String.valueOf(minutes)});
    rows.add(new String[] {"faults", ChaosInvariants.faultCounts(faults.counts)});
    rows.add(
        new String[] {
          "runs",
          observer.runs.size()
              + " ("
              + runCount
              + " planned, the rest scheduled and probes) "
              + invariants.phases()
        });
    rows.add(new String[] {"units", String.valueOf(invariants.units())});
    rows.add(new String[] {"units with a Lost execution", String.valueOf(invariants.lostUnits())});
    rows.add(
        new String[] {
          "units run twice (all with a Lost or deleted execution unless listed below)",
          String.valueOf(invariants.repeatedUnits().size())
        });
    rows.add(
        new String[] {
          "operator replicas that exited on their own (restarted)",
          String.valueOf(faults.operatorExits.get())
        });
    rows.add(new String[] {"longest recovery", faults.longestRecovery().toSeconds() + " s"});
    rows.add(new String[] {"runs settled after the faults in", settled.toSeconds() + " s"});
    for (Check check : checks) {
      rows.add(
          new String[] {
            check.name(), check.green() ? "PASS" : "FAIL (" + check.violations().size() + ")"
          });
    }
    text.append("| | |\n|---|---|\n");
    rows.forEach(
        row -> text.append("| ").append(row[0]).append(" | ").append(row[1]).append(" |\n"));
    for (Check check : checks) {
      check.violations().stream()
          .limit(20)
          .forEach(v -> text.append("  ").append(check.name()).append(": ").append(v).append('\n'));
    }
    return text.toString();
  }

  /** Creates the runs whose time has come; one the API server does not take now waits a turn. */
  private static void submitDue(KubernetesClient client, Deque<PlannedRun> toSubmit) {
    PlannedRun next = toSubmit.peek();
    if (next != null && create(client, next.manifest())) {
      toSubmit.poll();
    }
  }

  private String createProbe(KubernetesClient client, ChaosWorkload workload) {
    String name = "probe-" + probes.incrementAndGet();
    createUntilAccepted(client, workload.probe(name));
    return name;
  }

  /** True once the object exists (also when an earlier try's response was lost). */
  private static boolean create(KubernetesClient client, String manifest) {
    try {
      client.resource(manifest).inNamespace(RealCluster.NS).create();
      return true;
    } catch (KubernetesClientException e) {
      return e.getCode() == 409;
    }
  }

  private static void createUntilAccepted(KubernetesClient client, String manifest) {
    await().atMost(RealCluster.PATIENCE).until(() -> create(client, manifest));
  }

  /** Stops a ScheduledTask from firing, so that what it fired can settle. */
  private static void patchUntilAccepted(KubernetesClient client, String scheduledTask) {
    await()
        .atMost(RealCluster.PATIENCE)
        .ignoreExceptions()
        .until(
            () -> {
              GenericKubernetesResource resource =
                  client
                      .genericKubernetesResources("drover.dev/v1alpha1", "ScheduledTask")
                      .inNamespace(RealCluster.NS)
                      .withName(scheduledTask)
                      .edit(
                          task -> {
                            ((Map<String, Object>) task.getAdditionalProperties().get("spec"))
                                .put("suspend", true);
                            return task;
                          });
              return resource != null;
            });
  }

  private static void installCrds(Kubectl kubectl) {
    kubectl.ok("apply", "-f", RealCluster.ROOT.resolve("crds").toString());
    // A CRD just created is served a moment later.
    await()
        .atMost(RealCluster.PATIENCE)
        .until(
            () ->
                List.of("taskruns", "taskexecutions", "scheduledtasks", "tasks", "agents").stream()
                    .allMatch(kind -> kubectl.run("get", kind, "-A").exitCode() == 0));
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }
}
