package dev.drover.cli.run;

import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.cli.DroverCli;
import dev.drover.cli.Session;
import dev.drover.cli.Terminal;
import dev.drover.cli.logs.ExecutionOutput;
import dev.drover.cli.logs.Followers;
import dev.drover.cli.logs.OutputPrinter;
import dev.drover.cli.support.Objects;
import dev.drover.cli.support.Targets;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * Waits for a run to finish, optionally streaming every target's output as it is produced (each
 * line prefixed with its target, retried attempts included); says how it ended.
 */
public final class RunWatch {
  /** How long outputs may take to end after the run's status says it has finished. */
  private static final Duration OUTPUT_GRACE = Duration.ofSeconds(30);

  private RunWatch() {}

  /**
   * Returns 0 when the run succeeded, 1 when it failed or was cancelled.
   *
   * @param retryToken a retry just asked for: the run's end counts only once the operator has taken
   *     it up; null otherwise
   */
  public static int await(
      Session session, Terminal terminal, String name, boolean follow, String retryToken)
      throws InterruptedException {
    Followers followers =
        follow
            ? new Followers(
                new ExecutionOutput(session, terminal.err()),
                new OutputPrinter(terminal.out(), terminal.bytes()),
                terminal.err(),
                true,
                false)
            : null;
    while (true) {
      TaskRun run = Objects.get(session, TaskRun.class, name);
      if (followers != null) {
        for (TaskExecution execution :
            Targets.executions(session.client(), session.namespace(), name)) {
          if (started(execution)) {
            followers.follow(execution, 0);
          }
        }
      }
      RunPhase phase = run.getStatus() == null ? null : run.getStatus().phase();
      boolean current =
          retryToken == null
              || (run.getStatus() != null && retryToken.equals(run.getStatus().retryToken()));
      if (phase != null && phase.isFinished() && current) {
        if (followers != null) {
          followers.awaitAll(OUTPUT_GRACE);
        }
        report(follow ? terminal.err() : terminal.out(), run);
        return phase == RunPhase.Succeeded ? 0 : DroverCli.RUN_FAILED;
      }
      Thread.sleep(terminal.poll().toMillis());
    }
  }

  /** The process runs or has run: there is output to follow. */
  private static boolean started(TaskExecution execution) {
    ExecutionPhase phase = execution.phase();
    return execution.dispatched()
        && phase != null
        && (phase == ExecutionPhase.Running || phase.isFinished());
  }

  private static void report(PrintWriter to, TaskRun run) {
    to.println(
        "taskrun/"
            + run.getMetadata().getName()
            + " "
            + run.getStatus().phase()
            + ": "
            + run.getStatus().message());
    to.flush();
  }
}
