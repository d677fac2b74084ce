package dev.drover.agent.output;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The lines of a streamed response body, collected as they arrive. */
final class ArrivingLines {
  /** The element added once the response has ended. */
  static final String END = "<end of response>";

  private ArrivingLines() {}

  /** Reads on a thread of its own; the list grows line by line and ends with {@link #END}. */
  static List<String> of(InputStream body) {
    List<String> received = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                lines.lines().forEach(received::add);
                received.add(END);
              } catch (IOException e) {
                received.add("<broken: " + e + ">");
              }
            },
            "response-reader");
    reader.setDaemon(true);
    reader.start();
    return received;
  }
}
