package dev.drover.runtime;

import java.io.IOException;

/** The port chosen with --port is taken: a mistake in how the process was started. */
public final class PortInUseException extends IOException {
  PortInUseException(int port, IOException cause) {
    super(
        "Port "
            + port
            + " is in use: stop what holds it or choose another with "
            + HttpPort.FLAG
            + " (0 turns the endpoints off).",
        cause);
  }
}
