package dev.drover.agent.fencing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * When this agent must let go of its work: once its Lease has gone unrenewed for the fence
 * duration. By the end of the lease duration the operator declares the agent NotReady, records its
 * unfinished work Lost and retries it elsewhere, so work the agent still holds then could run
 * twice.
 *
 * <p>The time since the last renewal is the larger of the monotonic and the wall-clock time that
 * passed: a wall clock stepped back cannot hide a gap, nor can a suspended host whose monotonic
 * clock stood still. A wall clock stepped forward can only fence early, which costs a retry.
 */
public final class LeaseFence {
  /** One instant on both clocks. */
  public record Moment(long nanos, Instant wall) {}

  private final Duration fenceAfter;
  private final Clock wall;
  private final LongSupplier nanos;
  private volatile Moment renewed;

  /**
   * The agent starts as if just renewed: it has the fence duration to renew for the first time.
   *
   * @param nanos the monotonic clock, {@link System#nanoTime} but in tests
   */
  public LeaseFence(Duration fenceAfter, Clock wall, LongSupplier nanos) {
    this.fenceAfter = fenceAfter;
    this.wall = wall;
    this.nanos = nanos;
    this.renewed = now();
  }

  /** Taken before a renewal is sent: the Lease it writes was renewed no earlier than this. */
  public Moment now() {
    return new Moment(nanos.getAsLong(), wall.instant());
  }

  /** The renewal sent at {@code sent} succeeded: the deadline moves to a fence duration later. */
  public void renewed(Moment sent) {
    renewed = sent;
  }

  /** Empty before the deadline; after it, why the agent lets go of its work. */
  public Optional<String> breached() {
    Duration unrenewed = sinceRenewal();
    if (unrenewed.compareTo(fenceAfter) < 0) {
      return Optional.empty();
    }
    return Optional.of("the agent could not renew its Lease for " + unrenewed.toSeconds() + "s");
  }

  /** Time left until the deadline; zero or less once it has passed. */
  public Duration remaining() {
    return fenceAfter.minus(sinceRenewal());
  }

  private Duration sinceRenewal() {
    Moment last = renewed;
    Duration monotonic = Duration.ofNanos(nanos.getAsLong() - last.nanos());
    Duration onTheWall = Duration.between(last.wall(), wall.instant());
    return monotonic.compareTo(onTheWall) >= 0 ? monotonic : onTheWall;
  }
}
