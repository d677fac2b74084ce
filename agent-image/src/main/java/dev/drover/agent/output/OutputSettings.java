package dev.drover.agent.output;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where and how much output the agent keeps, and how often a running execution's tail is refreshed
 * in its status.
 *
 * @param maxBytes per execution; output past it is counted, not kept
 * @param totalBytes for all executions; finished executions' output goes oldest first past it
 * @param progressInterval the least time between two refreshes of a running execution's tail
 */
public record OutputSettings(
    Path directory, long maxBytes, long totalBytes, Duration progressInterval) {
  public static final long MIB = 1024 * 1024;

  public OutputSettings {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("--output-max-bytes must be positive, got " + maxBytes);
    }
    if (totalBytes < maxBytes) {
      throw new IllegalArgumentException(
          "--output-total-bytes ("
              + totalBytes
              + ") must be at least --output-max-bytes ("
              + maxBytes
              + "): one execution's output must fit");
    }
    if (progressInterval.isNegative() || progressInterval.isZero()) {
      throw new IllegalArgumentException(
          "--progress-interval must be positive, got " + progressInterval.toMillis() + "ms");
    }
  }

  /** 100 MiB an execution, 1 GiB in all, under the system's temporary directory. */
  public static OutputSettings defaults(String agentName) {
    return new OutputSettings(
        defaultDirectory(agentName), 100 * MIB, 1024 * MIB, Duration.ofSeconds(5));
  }

  public static Path defaultDirectory(String agentName) {
    return Path.of(System.getProperty("java.io.tmpdir"), "drover-agent-" + agentName, "output");
  }
}
