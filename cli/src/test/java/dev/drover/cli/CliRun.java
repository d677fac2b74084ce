package dev.drover.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;

/** One command line run against a given client, with everything it printed. */
public record CliRun(int exitCode, String out, String err) {
  static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  public static CliRun of(KubernetesClient client, String... args) {
    return start(client, args).exit.join();
  }

  /** A command line running on a thread of its own, and what it has printed so far. */
  public record Running(StringWriter out, CompletableFuture<CliRun> exit) {}

  public static Running start(KubernetesClient client, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintWriter outWriter = new PrintWriter(out, true);
    Terminal terminal =
        new Terminal(
            outWriter,
            new PrintWriter(err, true),
            new java.io.OutputStream() {
              @Override
              public void write(int b) {
                bytes.write(b);
              }

              @Override
              public void write(byte[] b, int off, int len) {
                bytes.write(b, off, len);
              }

              @Override
              public void flush() {
                outWriter.flush();
                out.write(bytes.toString(StandardCharsets.UTF_8));
                bytes.reset();
              }
            },
            Clock.fixed(NOW, ZoneOffset.UTC),
            Duration.ofMillis(50),
            // A client of its own per command line, as the plugin makes one; it closes it.
            config -> new KubernetesClientBuilder().withConfig(client.getConfiguration()).build());
    return new Running(
        out,
        CompletableFuture.supplyAsync(
            () -> new CliRun(DroverCli.execute(terminal, args), out.toString(), err.toString())));
  }
}
