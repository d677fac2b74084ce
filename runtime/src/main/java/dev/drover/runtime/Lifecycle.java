package dev.drover.runtime;

import java.util.concurrent.CountDownLatch;

/** How the operator and the agent live as processes: until SIGTERM, then they close in order. */
public final class Lifecycle {
  private Lifecycle() {}

  /**
   * Blocks until the JVM shuts down; then closes {@code component} and {@code endpoints} (last, so
   * that probes answer while the component winds down).
   */
  public static void runUntilShutdown(AutoCloseable component, HttpEndpoints endpoints)
      throws InterruptedException {
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    component.close();
                  } catch (Exception e) {
                    System.err.println("Shutdown did not complete cleanly: " + e);
                  } finally {
                    endpoints.close();
                    closed.countDown();
                  }
                },
                "shutdown"));
    closed.await();
  }
}
