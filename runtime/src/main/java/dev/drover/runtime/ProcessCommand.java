package dev.drover.runtime;

import picocli.CommandLine;

/**
 * The command line of a Drover process. A mistake in how it was started, such as a port that is
 * taken, ends it with one line on stderr naming what to change rather than a stack trace.
 */
public final class ProcessCommand {
  private ProcessCommand() {}

  public static CommandLine of(Object command) {
    return new CommandLine(command)
        .setExecutionExceptionHandler(
            (exception, commandLine, parsed) -> {
              if (!(exception instanceof PortInUseException)) {
                throw exception;
              }
              commandLine.getErr().println(exception.getMessage());
              return commandLine.getCommandSpec().exitCodeOnExecutionException();
            });
  }
}
