package dev.drover.cli.schedules;

import dev.drover.api.DroverLabels;
import dev.drover.api.schedule.ScheduledTask;
import dev.drover.api.steer.SteeringPatches;
import dev.drover.cli.DroverCli;
import dev.drover.cli.support.Patches;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "trigger",
    description =
        "Start one run of a ScheduledTask now, even while it is suspended (annotation "
            + DroverLabels.RUN_NOW
            + ").",
    footer = {"", "Examples:", "  kubectl drover trigger nightly-backup"})
public final class TriggerCommand implements Callable<Integer> {
  @ParentCommand DroverCli root;

  @Parameters(paramLabel = "SCHEDULE")
  String schedule;

  @Override
  public Integer call() {
    Patches.mergeNamespaced(
        root.session(),
        ScheduledTask.class,
        schedule,
        SteeringPatches.annotation(DroverLabels.RUN_NOW, SteeringPatches.freshToken()));
    root.terminal().out().println("scheduledtask/" + schedule + " triggered");
    return 0;
  }
}
