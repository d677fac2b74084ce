package dev.drover.runtime;

/**
 * The port of a process's HTTP endpoints. A port chosen on the command line (or its environment
 * variable) is kept or the process stops; the default gives way to a free port when taken, so that
 * several agents can run on one machine without flags.
 *
 * @param number 0 disables the endpoints
 * @param chosen whether someone asked for this port, as opposed to it being the default
 */
public record HttpPort(int number, boolean chosen) {
  /** The flag both processes take; named in every message about the port. */
  public static final String FLAG = "--port";

  /**
   * @param chosen the flag's value, null when not given
   */
  public static HttpPort of(Integer chosen, int byDefault) {
    return chosen == null ? new HttpPort(byDefault, false) : new HttpPort(chosen, true);
  }

  public boolean disabled() {
    return number == 0;
  }
}
