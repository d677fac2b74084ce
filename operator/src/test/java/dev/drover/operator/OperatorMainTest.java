package dev.drover.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.runtime.ProcessCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class OperatorMainTest {

  @Test
  void aTakenPortGivenWithThePortFlagEndsTheOperatorWithOneLineNamingThePortAndTheFlag()
      throws IOException {
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();
      StringWriter stderr = new StringWriter();

      int exitCode =
          ProcessCommand.of(new OperatorMain())
              .setErr(new PrintWriter(stderr, true))
              .execute("--port", String.valueOf(port));

      assertThat(exitCode).isNotZero();
      assertThat(stderr.toString().lines())
          .containsExactly(
              "Port "
                  + port
                  + " is in use: stop what holds it or choose another with --port (0 turns the"
                  + " endpoints off).");
    }
  }
}
