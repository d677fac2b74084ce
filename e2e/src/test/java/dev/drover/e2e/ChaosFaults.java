package dev.drover.e2e;

import static org.awaitility.Awaitility.await;

import dev.drover.e2e.ChaosLedger.UnitKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The fault timeline: one fault after another, each drawn from the seed with its victim and timing,
 * the next one 5-15 s after the previous one's follow-up (restart, SIGCONT). Recovery from each
 * fault is measured alongside without holding the timeline up, except after an API server restart,
 * when the processes must be seen to recover before anything else happens to them.
 */
final class ChaosFaults implements AutoCloseable {
  static final String SYSTEM = "drover-system";
  static final Duration RECOVERY_BOUND = Duration.ofMinutes(5);

  enum Kind {
    LEADER_KILL(2),
    AGENT_KILL(3),
    AGENT_STOP(3),
    API_SERVER_RESTART(1),
    EXECUTION_DELETE(3);

    private final int weight;

    Kind(int weight) {
      this.weight = weight;
    }
  }

  /** An agent frozen with SIGSTOP and when it was let go again. */
  record Stop(String agent, Instant stopped, Instant continued) {}

  record Recovery(Kind kind, String target, Duration took) {}

  final Map<Kind, Integer> counts = Collections.synchronizedMap(new EnumMap<>(Kind.class));
  final List<Stop> stops = Collections.synchronizedList(new ArrayList<>());
  final List<UnitKey> deletedUnits = Collections.synchronizedList(new ArrayList<>());
  final List<Recovery> recoveries = Collections.synchronizedList(new ArrayList<>());

  /** Faults that could not be injected or processes that did not recover: each fails the suite. */
  final List<String> problems = Collections.synchronizedList(new ArrayList<>());

  /** Operator replicas that exited on their own and were started again. */
  final java.util.concurrent.atomic.AtomicInteger operatorExits =
      new java.util.concurrent.atomic.AtomicInteger();

  private final Random random;
  private final DroverProcesses processes;
  private final List<String> operators;
  private final List<String> agents;
  private final int agentLeaseSeconds;
  private final ChaosApiServer apiServer;
  private final KubernetesClient client;
  private final Kubectl kubectl;
  private final Supplier<String> probeRun;
  private final ScheduledExecutorService timeline = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService recoveryWatchers = Executors.newCachedThreadPool();
  private final List<CompletableFuture<?>> pendingRecoveries =
      Collections.synchronizedList(new ArrayList<>());
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final Map<String, Boolean> unavailable = new ConcurrentHashMap<>();
  private Instant end;
  private List<Kind> firstOfEachKind;

  /**
   * @param probeRun creates a Broadcast run over every Ready agent and returns its name
   */
  ChaosFaults(
      Random random,
      DroverProcesses processes,
      List<String> operators,
      List<String> agents,
      int agentLeaseSeconds,
      ChaosApiServer apiServer,
      KubernetesClient client,
      Kubectl kubectl,
      Supplier<String> probeRun) {
    this.random = random;
    this.processes = processes;
    this.operators = operators;
    this.agents = agents;
    this.agentLeaseSeconds = agentLeaseSeconds;
    this.apiServer = apiServer;
    this.client = client;
    this.kubectl = kubectl;
    this.probeRun = probeRun;
  }

  /** Injects faults for {@code length}; completes once the last follow-up has run. */
  CompletableFuture<Void> run(Duration length) {
    end = Instant.now().plus(length);
    scheduleNext();
    return finished;
  }

  /** Waits for the recovery measurements still running. */
  void awaitRecoveries() {
    CompletableFuture.allOf(pendingRecoveries.toArray(CompletableFuture[]::new)).join();
  }

  Duration longestRecovery() {
    return recoveries.stream().map(Recovery::took).max(Duration::compareTo).orElse(Duration.ZERO);
  }

  private void scheduleNext() {
    if (Instant.now().isAfter(end)) {
      finished.complete(null);
      return;
    }
    Kind kind = draw();
    timeline.schedule(() -> inject(kind), 5 + random.nextInt(11), TimeUnit.SECONDS);
  }

  /** Each kind once first, in a seeded order, so that even a short run sees every fault. */
  private Kind draw() {
    if (firstOfEachKind == null) {
      firstOfEachKind = new ArrayList<>(List.of(Kind.values()));
      Collections.shuffle(firstOfEachKind, random);
    }
    if (!firstOfEachKind.isEmpty()) {
      return firstOfEachKind.remove(0);
    }
    int total = 0;
    for (Kind kind : Kind.values()) {
      total += kind.weight;
    }
    int pick = random.nextInt(total);
    for (Kind kind : Kind.values()) {
      pick -= kind.weight;
      if (pick < 0) {
        return kind;
      }
    }
    throw new IllegalStateException();
  }

  /** Runs one fault; whatever goes wrong is a problem of the run, and the timeline goes on. */
  private void inject(Kind kind) {
    try {
      restartExitedOperators();
      Duration followUpAfter =
          switch (kind) {
            case LEADER_KILL -> killLeader();
            case AGENT_KILL -> killAgent();
            case AGENT_STOP -> stopAgent();
            case API_SERVER_RESTART -> restartApiServer();
            case EXECUTION_DELETE -> deleteExecution();
          };
      counts.merge(kind, 1, Integer::sum);
      if (followUpAfter.isZero()) {
        scheduleNext();
      }
    } catch (Exception | AssertionError e) {
      problems.add(kind + " at " + Instant.now() + ": " + e);
      scheduleNext();
    }
  }

  /** Schedules what undoes a fault, then the next fault; returns the delay. */
  private Duration followUp(Duration after, String what, FaultStep action) {
    timeline.schedule(
        () -> {
          try {
            action.call();
          } catch (Exception | AssertionError e) {
            problems.add(what + " at " + Instant.now() + ": " + e);
          }
          scheduleNext();
        },
        after.toMillis(),
        TimeUnit.MILLISECONDS);
    return after;
  }

  private interface FaultStep {
    void call() throws Exception;
  }

  /**
   * Starts again, as a Deployment would, an operator replica that exited on its own (one whose
   * informers cannot list in time at startup stops); counted, as a recovery that needed a restart.
   */
  private void restartExitedOperators() throws Exception {
    for (String operator : operators) {
      Process process = processes.process(operator);
      if (process != null && !process.isAlive()) {
        log("operator " + operator + " had exited (code " + process.exitValue() + "): restarted");
        operatorExits.incrementAndGet();
        processes.restart(operator);
      }
    }
  }

  private static void log(String event) {
    System.out.println("[drover chaos] " + Instant.now() + " " + event);
  }

  private Duration killLeader() throws Exception {
    String leader =
        await().atMost(Duration.ofMinutes(1)).until(this::leader, Optional::isPresent).get();
    Instant killed = Instant.now();
    String holder = leaderHolder();
    log("SIGKILL leader " + leader);
    processes.kill(leader);
    watchRecovery(
        Kind.LEADER_KILL,
        leader,
        killed,
        () -> {
          Lease lease = operatorLease();
          return !lease.getSpec().getHolderIdentity().equals(holder)
              && lease.getSpec().getRenewTime().toInstant().isAfter(killed);
        });
    return followUp(
        Duration.ofSeconds(5 + random.nextInt(11)),
        "restart " + leader,
        () -> {
          log("restart " + leader);
          processes.restart(leader);
        });
  }

  private Duration killAgent() throws Exception {
    String agent = healthyAgent();
    Instant killed = Instant.now();
    log("SIGKILL agent " + agent);
    processes.kill(agent);
    unavailable.put(agent, true);
    return followUp(
        Duration.ofMillis(random.nextInt(20_001)),
        "restart " + agent,
        () -> {
          log("restart " + agent);
          processes.restart(agent);
          Instant restarted = Instant.now();
          unavailable.remove(agent);
          watchRecovery(Kind.AGENT_KILL, agent, killed, () -> agentBack(agent, restarted));
        });
  }

  private Duration stopAgent() throws Exception {
    String agent = healthyAgent();
    Instant stopped = Instant.now();
    log("SIGSTOP agent " + agent);
    processes.signal(agent, "STOP");
    unavailable.put(agent, true);
    return followUp(
        Duration.ofSeconds(agentLeaseSeconds + 4 + random.nextInt(17)),
        "continue " + agent,
        () -> {
          log("SIGCONT agent " + agent);
          processes.signal(agent, "CONT");
          Instant continued = Instant.now();
          unavailable.remove(agent);
          stops.add(new Stop(agent, stopped, continued));
          watchRecovery(Kind.AGENT_STOP, agent, stopped, () -> agentBack(agent, continued));
        });
  }

  /**
   * Restarts the kube-apiserver process and holds the timeline until the operators and agents, with
   * the same process ids, have renewed their Leases and run a probe Broadcast.
   */
  private Duration restartApiServer() throws Exception {
    Map<String, Long> pids = new java.util.LinkedHashMap<>();
    for (String name : processNames()) {
      pids.put(name, processes.process(name).pid());
    }
    Instant stopped = Instant.now();
    log("restart kube-apiserver");
    Instant ready = apiServer.restartApiServer();
    log("kube-apiserver ready");
    String probe;
    try {
      await()
          .atMost(RECOVERY_BOUND)
          .ignoreExceptions()
          .until(
              () ->
                  operatorLease().getSpec().getRenewTime().toInstant().isAfter(ready)
                      && agents.stream().allMatch(a -> agentLeaseRenewedAfter(a, ready)));
      probe = probeRun.get();
      await()
          .atMost(RECOVERY_BOUND)
          .ignoreExceptions()
          .until(() -> ChaosObserver.TERMINAL.contains(phaseOf(probe)));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      problems.add(
          "not recovered within " + RECOVERY_BOUND + " of the API server restart at " + ready);
      return Duration.ZERO;
    }
    if (!"Succeeded".equals(phaseOf(probe))) {
      problems.add("probe " + probe + " after the API server restart: " + phaseOf(probe));
    }
    pids.forEach(
        (name, pid) -> {
          Process now = processes.process(name);
          if (now == null || now.pid() != pid || !now.isAlive()) {
            problems.add(name + " did not survive the API server restart at " + ready);
          }
        });
    recoveries.add(
        new Recovery(
            Kind.API_SERVER_RESTART, "kube-apiserver", Duration.between(stopped, Instant.now())));
    return Duration.ZERO;
  }

  private Duration deleteExecution() {
    List<GenericKubernetesResource> running =
        executions().stream()
            .filter(e -> "Running".equals(e.get("status", "phase")))
            .sorted(java.util.Comparator.comparing(e -> e.getMetadata().getName()))
            .toList();
    if (running.isEmpty()) {
      problems.add("EXECUTION_DELETE at " + Instant.now() + ": no running execution to delete");
      return Duration.ZERO;
    }
    GenericKubernetesResource victim = running.get(random.nextInt(running.size()));
    log("delete execution " + victim.getMetadata().getName());
    deletedUnits.add(new UnitKey(victim.get("spec", "run"), ChaosObserver.unitOf(victim)));
    client
        .genericKubernetesResources(ChaosObserver.TASK_EXECUTIONS)
        .inNamespace(RealCluster.NS)
        .withName(victim.getMetadata().getName())
        .delete();
    return Duration.ZERO;
  }

  private void watchRecovery(
      Kind kind, String target, Instant since, java.util.concurrent.Callable<Boolean> recovered) {
    pendingRecoveries.add(
        CompletableFuture.runAsync(
            () -> {
              try {
                await().atMost(RECOVERY_BOUND).ignoreExceptions().until(recovered);
                recoveries.add(new Recovery(kind, target, Duration.between(since, Instant.now())));
              } catch (org.awaitility.core.ConditionTimeoutException e) {
                problems.add(target + " not recovered within " + RECOVERY_BOUND + " of " + kind);
              }
            },
            recoveryWatchers));
  }

  /** Ready again, on a Lease renewed after {@code since}. */
  private boolean agentBack(String agent, Instant since) {
    return agentLeaseRenewedAfter(agent, since)
        && kubectl
            .run(
                "get",
                "agent",
                agent,
                "-o",
                "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")
            .output()
            .trim()
            .equals("True");
  }

  private boolean agentLeaseRenewedAfter(String agent, Instant since) {
    Lease lease = client.leases().inNamespace(SYSTEM).withName(agent).get();
    return lease != null && lease.getSpec().getRenewTime().toInstant().isAfter(since);
  }

  private Lease operatorLease() {
    return client.leases().inNamespace(SYSTEM).withName("drover-operator").get();
  }

  private String leaderHolder() {
    return operatorLease().getSpec().getHolderIdentity();
  }

  /** The running replica holding the leader-election Lease (identities end with the pid). */
  private Optional<String> leader() {
    String holder = leaderHolder();
    return operators.stream()
        .filter(
            name -> {
              Process process = processes.process(name);
              return process != null
                  && process.isAlive()
                  && holder != null
                  && holder.endsWith("-" + process.pid());
            })
        .findFirst();
  }

  private String healthyAgent() {
    List<String> healthy = agents.stream().filter(a -> !unavailable.containsKey(a)).toList();
    return healthy.get(random.nextInt(healthy.size()));
  }

  private List<String> processNames() {
    List<String> names = new ArrayList<>(operators);
    names.addAll(agents);
    return names;
  }

  private String phaseOf(String run) {
    GenericKubernetesResource resource =
        client
            .genericKubernetesResources(ChaosObserver.TASK_RUNS)
            .inNamespace(RealCluster.NS)
            .withName(run)
            .get();
    return resource == null ? null : resource.get("status", "phase");
  }

  private List<GenericKubernetesResource> executions() {
    return client
        .genericKubernetesResources(ChaosObserver.TASK_EXECUTIONS)
        .inNamespace(RealCluster.NS)
        .list()
        .getItems();
  }

  @Override
  public void close() {
    timeline.shutdownNow();
    recoveryWatchers.shutdownNow();
  }
}
