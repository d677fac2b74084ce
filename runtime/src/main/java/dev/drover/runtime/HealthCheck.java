package dev.drover.runtime;

/** A probe's question to the process: is it alive, or ready. Called on every probe request. */
@FunctionalInterface
public interface HealthCheck {
  Health check();
}
