package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.AbstractIntegerAssert;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The processes' ports and probes as an admin meets them: two agents started on one machine as the
 * README does, a port clash, and the probes of two operator replicas (one of them a standby) while
 * the API server stops and returns.
 */
class ProbesAndPortsIT extends RealCluster {
  private static final String SYSTEM = "drover-system";
  private static final String OK = "{\"status\":\"ok\"}\n";
  private static final Pattern SERVING_ELSEWHERE =
      Pattern.compile(
          "Port 8081 is in use; serving /healthz, /readyz and /metrics on port (\\d+) instead"
              + " \\(choose one with --port\\)");
  private int standbyPort;

  @Override
  void startOperators() throws IOException {
    // Created before both replicas start, so that neither races the other to create it.
    kubectl.ok("create", "namespace", SYSTEM);
    standbyPort = freePort();
    processes.startOperator("operator-a", operatorPort, "--leader-election");
    processes.startOperator("operator-b", standbyPort, "--leader-election");
  }

  /** As the README's walkthrough: two agents on this machine, neither given --port. */
  @Override
  void startAgents() throws IOException {
    processes.startAgentOnDefaultPort("scanner-1", "role=scanner,zone=a", NS, 4);
    processes.startAgentOnDefaultPort("scanner-2", "role=scanner,zone=b", NS, 4);
    awaitAgentReady("scanner-1", "True");
    awaitAgentReady("scanner-2", "True");
  }

  @Test
  void twoAgentsWithoutPortBothRunAndOneSaysWhereItServesInstead() throws IOException {
    List<Integer> elsewhere = new ArrayList<>();
    for (String agent : List.of("scanner-1", "scanner-2")) {
      assertThat(processes.process(agent).isAlive()).as(agent).isTrue();
      Matcher line = SERVING_ELSEWHERE.matcher(processes.log(agent));
      if (line.find()) {
        elsewhere.add(Integer.parseInt(line.group(1)));
      }
    }

    assertThat(elsewhere)
        .as("agents that found 8081 taken")
        .isNotEmpty()
        .allSatisfy(port -> assertThat(get(port, "/readyz").body()).isEqualTo(OK));
  }

  @Test
  void anAgentGivenATakenPortStopsWithOneLineNamingItAndTheFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();

      Process agent = processes.startAgent("clash", "role=clash", NS, 1, port);

      assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(agent.exitValue()).isNotZero();
      assertThat(processes.log("clash").lines())
          .containsExactly(
              "---- starting clash",
              "Port "
                  + port
                  + " is in use: stop what holds it or choose another with --port (0 turns the"
                  + " endpoints off).");
    } finally {
      processes.forget("clash");
    }
  }

  @Test
  void bothOperatorReplicasAreReadyAndAliveTheStandbyToo() throws Exception {
    assertThat(leader())
        .as("the leader, the other being the standby")
        .isIn("operator-a", "operator-b");
    for (int port : List.of(operatorPort, standbyPort)) {
      await()
          .atMost(PATIENCE)
          .untilAsserted(() -> assertThat(get(port, "/readyz").body()).isEqualTo(OK));
      assertThatProbe(port, "/healthz").isEqualTo(200);
    }
  }

  @Test
  void readyzGoes503WithinTenSecondsOfTheApiServerStoppingAndBackTo200AfterItReturns()
      throws Exception {
    Assumptions.assumeTrue(server.pausable(), "the API server was not started by this test");
    List<Integer> replicas = List.of(operatorPort, standbyPort);

    server.pause();
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(replicas)
                      .allSatisfy(
                          port -> {
                            HttpResponse<String> readiness = get(port, "/readyz");
                            assertThat(readiness.statusCode()).isEqualTo(503);
                            assertThat(readiness.body())
                                .startsWith("{\"status\":\"failing\",\"problems\":[")
                                .contains("the API server ");
                          }));
      assertThat(replicas).allSatisfy(port -> assertThatProbe(port, "/healthz").isEqualTo(200));
    } finally {
      server.resume();
    }

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(replicas)
                    .allSatisfy(port -> assertThat(get(port, "/readyz").body()).isEqualTo(OK)));
  }

  private static AbstractIntegerAssert<?> assertThatProbe(int port, String path)
      throws IOException, InterruptedException {
    return assertThat(get(port, path).statusCode()).as("%s on port %d", path, port);
  }
}
