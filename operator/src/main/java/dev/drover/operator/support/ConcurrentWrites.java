package dev.drover.operator.support;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * API writes made side by side: a fan-out's hundreds of creates, one at a time, take seconds. Idle
 * threads end, so an idle operator holds none.
 */
public final class ConcurrentWrites {
  private final ExecutorService pool;

  public ConcurrentWrites(String threadName, int threads) {
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            runnable -> {
              Thread thread = new Thread(runnable, threadName);
              thread.setDaemon(true);
              return thread;
            });
    executor.allowCoreThreadTimeOut(true);
    this.pool = executor;
  }

  /** Makes each write; once all have ended, their outcomes in order, or the first failure. */
  public <T, R> List<R> each(List<T> items, Function<T, R> write) {
    List<CompletableFuture<R>> writes =
        items.stream()
            .map(item -> CompletableFuture.supplyAsync(() -> write.apply(item), pool))
            .toList();
    try {
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
    return writes.stream().map(CompletableFuture::join).toList();
  }
}
