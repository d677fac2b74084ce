package dev.drover.agent.fencing;

import dev.drover.agent.fencing.LeaseFence.Moment;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the Lease on schedule and fences the agent's work once the {@link LeaseFence} deadline
 * passes without a renewal; the next successful renewal lifts the fence.
 *
 * <p>Every renewal checks the deadline before it is sent, so an agent waking from a long pause
 * fences before a renewal can hide the gap. A second thread checks at the deadline itself, so a
 * renewal request that hangs does not delay the fence.
 */
public final class LeaseKeeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  private final LeaseFence fence;
  private final BooleanSupplier renewal;
  private final Consumer<String> onFenced;
  private final Runnable onUnfenced;
  private final Duration every;
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(2, task -> new Thread(task, "lease-keeper"));
  private boolean fenced;

  /**
   * @param renewal renews the Lease once; false when it could not
   * @param onFenced stops the work, given why
   * @param onUnfenced lets work be taken again
   * @param every the renewal interval
   */
  public LeaseKeeper(
      LeaseFence fence,
      BooleanSupplier renewal,
      Consumer<String> onFenced,
      Runnable onUnfenced,
      Duration every) {
    this.fence = fence;
    this.renewal = renewal;
    this.onFenced = onFenced;
    this.onUnfenced = onUnfenced;
    this.every = every;
  }

  /** Renews once now, then keeps renewing and watching the deadline. */
  public void start() {
    renew();
    timers.scheduleWithFixedDelay(
        this::renew, every.toNanos(), every.toNanos(), TimeUnit.NANOSECONDS);
    watchDeadline();
  }

  /** One renewal as the schedule makes it: the deadline is checked first. */
  public void renew() {
    try {
      fenceIfBreached();
      Moment sent = fence.now();
      if (renewal.getAsBoolean()) {
        renewed(sent);
      }
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: log, and keep renewing.
      log.error("Renewing the lease failed", e);
    }
  }

  @Override
  public void close() {
    timers.shutdownNow();
  }

  private synchronized void fenceIfBreached() {
    if (fenced) {
      return;
    }
    fence
        .breached()
        .ifPresent(
            why -> {
              fenced = true;
              log.warn("Fencing: {}; stopping all work until the Lease is renewed", why);
              onFenced.accept(why);
            });
  }

  private synchronized void renewed(Moment sent) {
    fence.renewed(sent);
    if (fenced) {
      fenced = false;
      log.info("Lease renewed; taking work again");
      onUnfenced.run();
    }
  }

  /** Checks at the deadline; once fenced, at the renewal pace until a renewal lifts the fence. */
  private void watchDeadline() {
    try {
      fenceIfBreached();
    } catch (RuntimeException e) {
      log.error("Fencing failed", e);
    }
    Duration remaining = fence.remaining();
    Duration next = remaining.isNegative() || remaining.isZero() ? every : remaining;
    try {
      timers.schedule(this::watchDeadline, next.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      // closed: nothing left to watch
    }
  }
}
