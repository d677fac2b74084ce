package dev.drover.operator.schedule;

import dev.drover.api.schedule.MissedRunPolicy;
import dev.drover.api.schedule.ScheduledTaskSpec;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The due times in (after, until], counted in full but keeping only the latest few, and which of
 * them to fire by the missed-run policy and the starting deadline.
 */
record Backlog(long count, List<Instant> kept, Instant latest) {
  /** Due times looked at after an outage; older ones are counted as missed without being listed. */
  static final int MAX_BACKLOG = 100_000;

  static final int DEFAULT_MAX_CATCH_UP = 10;

  static Backlog between(Trigger trigger, Instant after, Instant until, ScheduledTaskSpec spec) {
    int keep = spec.missedRunPolicyOrDefault() == MissedRunPolicy.CatchUp ? maxCatchUp(spec) : 1;
    Deque<Instant> kept = new ArrayDeque<>();
    long count = 0;
    Instant cursor = after;
    while (count < MAX_BACKLOG) {
      Optional<Instant> next = trigger.next(cursor);
      if (next.isEmpty() || next.get().isAfter(until)) {
        break;
      }
      cursor = next.get();
      count++;
      kept.addLast(cursor);
      if (kept.size() > keep) {
        kept.removeFirst();
      }
    }
    if (count == MAX_BACKLOG) {
      // Too long an outage to walk: jump to the latest due time; the rest count as missed.
      Instant latest = trigger.latestAtOrBefore(until).orElse(cursor);
      if (!latest.equals(cursor)) {
        count++;
        kept.addLast(latest);
        kept.removeFirst();
        cursor = latest;
      }
    }
    return new Backlog(count, List.copyOf(kept), count == 0 ? null : cursor);
  }

  /** The due times to fire, oldest first, by the missed-run policy and deadline. */
  List<Instant> toFire(ScheduledTaskSpec spec, Instant now) {
    List<Instant> inTime = kept.stream().filter(d -> withinDeadline(spec, d, now)).toList();
    if (inTime.isEmpty()) {
      return List.of();
    }
    return switch (spec.missedRunPolicyOrDefault()) {
      case RunOnce -> inTime.contains(latest) ? List.of(latest) : List.of();
      case Skip -> count == 1 ? inTime : List.of();
      case CatchUp -> inTime.subList(Math.max(0, inTime.size() - maxCatchUp(spec)), inTime.size());
    };
  }

  static boolean withinDeadline(ScheduledTaskSpec spec, Instant due, Instant now) {
    return spec.startingDeadlineSeconds() == null
        || !now.isAfter(due.plusSeconds(spec.startingDeadlineSeconds()));
  }

  private static int maxCatchUp(ScheduledTaskSpec spec) {
    return spec.maxCatchUp() == null ? DEFAULT_MAX_CATCH_UP : spec.maxCatchUp();
  }
}
