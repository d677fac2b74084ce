package dev.drover.api.steer;

import java.util.UUID;

/**
 * The one-field changes that steer Drover, as JSON merge patches: every client (the plugin, the
 * console) sends these, with its user's own credentials, so the API server authorises each.
 */
public final class SteeringPatches {
  /** TaskRun or TaskFlow: stop it, and its running targets. */
  public static final String CANCEL = "{\"spec\":{\"cancel\":true}}";

  private SteeringPatches() {}

  /** Agent: cordoned (no new work) or back in service. */
  public static String unschedulable(boolean cordon) {
    return "{\"spec\":{\"unschedulable\":" + cordon + "}}";
  }

  /** ScheduledTask: suspended or resumed. */
  public static String suspend(boolean suspend) {
    return "{\"spec\":{\"suspend\":" + suspend + "}}";
  }

  /**
   * Sets one annotation; a new value of Drover's action annotations (retry, run-now) asks for one
   * action.
   */
  public static String annotation(String key, String value) {
    return "{\"metadata\":{\"annotations\":{\"" + key + "\":\"" + value + "\"}}}";
  }

  /** A value no earlier request used, for the action annotations. */
  public static String freshToken() {
    return Long.toString(System.currentTimeMillis(), 36)
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }
}
