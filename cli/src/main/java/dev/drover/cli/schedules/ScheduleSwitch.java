package dev.drover.cli.schedules;

import dev.drover.api.schedule.ScheduledTask;
import dev.drover.api.steer.SteeringPatches;
import dev.drover.cli.DroverCli;
import dev.drover.cli.support.Patches;

/** Suspending and resuming a schedule: one field, {@code spec.suspend}. */
final class ScheduleSwitch {
  private ScheduleSwitch() {}

  static int set(DroverCli root, String schedule, boolean suspend) {
    Patches.mergeNamespaced(
        root.session(), ScheduledTask.class, schedule, SteeringPatches.suspend(suspend));
    root.terminal()
        .out()
        .println("scheduledtask/" + schedule + (suspend ? " suspended" : " resumed"));
    return 0;
  }
}
