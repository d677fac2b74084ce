package dev.drover.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class ProcessCommandTest {

  @Command(name = "serve")
  static final class Serve implements Callable<Integer> {
    @Option(names = HttpPort.FLAG)
    Integer port;

    @Override
    public Integer call() throws Exception {
      try (HttpEndpoints endpoints = HttpEndpoints.bind(HttpPort.of(port, 8081))) {
        return 0;
      }
    }
  }

  @Command(name = "fail")
  static final class Fail implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new IllegalStateException("something unexpected");
    }
  }

  @Test
  void aTakenChosenPortEndsTheProcessWithOneLineAndNoStackTrace() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      StringWriter stderr = new StringWriter();

      int exitCode =
          ProcessCommand.of(new Serve())
              .setErr(new PrintWriter(stderr, true))
              .execute("--port", String.valueOf(taken.getLocalPort()));

      assertThat(exitCode).isNotZero();
      assertThat(stderr.toString().lines())
          .containsExactly(
              "Port "
                  + taken.getLocalPort()
                  + " is in use: stop what holds it or choose another with --port (0 turns the"
                  + " endpoints off).");
    }
  }

  @Test
  void anyOtherFailureIsStillReportedInFull() {
    StringWriter stderr = new StringWriter();

    int exitCode = ProcessCommand.of(new Fail()).setErr(new PrintWriter(stderr, true)).execute();

    assertThat(exitCode).isNotZero();
    assertThat(stderr.toString())
        .contains("java.lang.IllegalStateException: something unexpected")
        .contains("\tat ");
  }
}
