package dev.drover.operator.support;

/**
 * An Event to record on an object. {@code key} identifies the occurrence (for example the reason
 * and the attempt), so recording it twice yields one Event.
 */
public record ObjectEvent(String key, String reason, String message, boolean warning) {
  public static ObjectEvent normal(String key, String reason, String message) {
    return new ObjectEvent(key, reason, message, false);
  }

  public static ObjectEvent warning(String key, String reason, String message) {
    return new ObjectEvent(key, reason, message, true);
  }
}
