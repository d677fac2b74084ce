package dev.drover.cli.schedules;

import dev.drover.cli.DroverCli;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "suspend",
    description =
        "Stop a ScheduledTask from starting runs; due times that pass are handled by its"
            + " missedRunPolicy when it is resumed.",
    footer = {"", "Examples:", "  kubectl drover suspend nightly-backup"})
public final class SuspendCommand implements Callable<Integer> {
  @ParentCommand DroverCli root;

  @Parameters(paramLabel = "SCHEDULE")
  String schedule;

  @Override
  public Integer call() {
    return ScheduleSwitch.set(root, schedule, true);
  }
}
