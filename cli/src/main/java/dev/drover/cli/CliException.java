package dev.drover.cli;

/** A command that ends with a sentence for the user and an exit code other than 0. */
public final class CliException extends RuntimeException {
  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public static CliException notFound(String what) {
    return new CliException(DroverCli.NOT_FOUND_OR_FORBIDDEN, what + " not found");
  }

  public int exitCode() {
    return exitCode;
  }
}
