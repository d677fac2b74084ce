package dev.drover.operator.support;

import java.util.HexFormat;
import java.util.Locale;

/** Deterministic, valid object names and label values, hashed when they would be too long. */
public final class KubeNames {
  public static final int MAX_LABEL_VALUE = 63;
  private static final int HASH_LENGTH = 8;

  private KubeNames() {}

  /** Joins parts with '-' into a DNS label; too long a result keeps its start and gains a hash. */
  public static String join(String... parts) {
    String joined = sanitize(String.join("-", parts));
    if (joined.length() <= MAX_LABEL_VALUE) {
      return joined;
    }
    String hash = hash(joined);
    String head = joined.substring(0, MAX_LABEL_VALUE - HASH_LENGTH - 1).replaceAll("-+$", "");
    return head + "-" + hash;
  }

  /**
   * A label value standing for {@code value}: itself when it fits, else a shortened form with a
   * hash.
   */
  public static String labelValue(String value) {
    return join(value);
  }

  /**
   * Lower case, with anything outside [a-z0-9-] turned into '-', trimmed of leading/trailing '-'.
   */
  static String sanitize(String text) {
    String lower = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    return lower.replaceAll("^-+", "").replaceAll("-+$", "");
  }

  /** The first eight hex digits of the text's SHA-256. */
  public static String hash(String text) {
    return HexFormat.of().formatHex(Hashes.sha256(text)).substring(0, HASH_LENGTH);
  }
}
