package dev.drover.agent.fencing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** A wall clock and a monotonic clock that move only when told, together or apart. */
public final class ManualTime extends Clock {
  private final AtomicReference<Instant> wall =
      new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final AtomicLong nanos = new AtomicLong();

  /** Time passes, as both clocks see it: a network partition, or a paused process. */
  public void advance(Duration time) {
    nanos.addAndGet(time.toNanos());
    wall.updateAndGet(now -> now.plus(time));
  }

  /** The host is suspended: the wall clock moves on, the monotonic clock stands still. */
  public void suspend(Duration time) {
    wall.updateAndGet(now -> now.plus(time));
  }

  /** The wall clock is stepped back; the monotonic clock moves on. */
  public void stepWallClockBack(Duration step, Duration passing) {
    nanos.addAndGet(passing.toNanos());
    wall.updateAndGet(now -> now.minus(step).plus(passing));
  }

  public long nanoTime() {
    return nanos.get();
  }

  /** A fence on these clocks. */
  public LeaseFence fence(Duration fenceAfter) {
    return new LeaseFence(fenceAfter, this, this::nanoTime);
  }

  @Override
  public Instant instant() {
    return wall.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("one zone is enough for these tests");
  }
}
