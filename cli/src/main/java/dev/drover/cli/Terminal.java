package dev.drover.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * What commands write to and read time from, and how they connect: the process's own in use, fixed
 * ones in tests.
 *
 * @param bytes stdout as bytes, for output that must pass unchanged (a command's own output)
 * @param poll how often waiting commands look again
 */
public record Terminal(
    PrintWriter out,
    PrintWriter err,
    OutputStream bytes,
    Clock clock,
    Duration poll,
    Function<Config, KubernetesClient> connect) {

  public static Terminal system() {
    PrintStream stdout = System.out;
    return new Terminal(
        new PrintWriter(stdout, true, StandardCharsets.UTF_8),
        new PrintWriter(System.err, true, StandardCharsets.UTF_8),
        stdout,
        Clock.systemUTC(),
        Duration.ofMillis(500),
        config -> new KubernetesClientBuilder().withConfig(config).build());
  }
}
