package dev.drover.operator.support;

/** Bounded text for statuses, where the end of an output says most about how it went. */
public final class Texts {
  private Texts() {}

  /** The last {@code maxChars} characters of the text; shorter text and null come back as is. */
  public static String tail(String text, int maxChars) {
    if (text == null || text.length() <= maxChars) {
      return text;
    }
    return text.substring(text.length() - maxChars);
  }
}
