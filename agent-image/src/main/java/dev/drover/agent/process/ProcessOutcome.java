package dev.drover.agent.process;

import dev.drover.api.execution.ExecutionPhase;

/** How one process run ended. */
public record ProcessOutcome(
    ExecutionPhase phase, Integer exitCode, String reason, String output) {}
