package dev.drover.agent.process;

import dev.drover.api.execution.ExecutionPhase;

/**
 * How one process run ended.
 *
 * @param result what the command left in its result file, or null
 */
public record ProcessOutcome(
    ExecutionPhase phase, Integer exitCode, String reason, String output, String result) {

  /** An outcome without a result. */
  public ProcessOutcome(ExecutionPhase phase, Integer exitCode, String reason, String output) {
    this(phase, exitCode, reason, output, null);
  }

  ProcessOutcome withResult(String value) {
    return new ProcessOutcome(phase, exitCode, reason, output, value);
  }
}
