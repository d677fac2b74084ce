package dev.drover.cli.schedules;

import dev.drover.cli.DroverCli;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "resume",
    description = "Let a suspended ScheduledTask start runs again.",
    footer = {"", "Examples:", "  kubectl drover resume nightly-backup"})
public final class ResumeCommand implements Callable<Integer> {
  @ParentCommand DroverCli root;

  @Parameters(paramLabel = "SCHEDULE")
  String schedule;

  @Override
  public Integer call() {
    return ScheduleSwitch.set(root, schedule, false);
  }
}
