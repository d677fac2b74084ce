package dev.drover.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Bearer tokens callers present to a Drover process's HTTP endpoints. */
public final class BearerTokens {
  private BearerTokens() {}

  /**
   * The token's SHA-256 in hex: what a process keys its remembered verdicts by, so that no token is
   * kept in memory longer than its request.
   */
  public static String fingerprint(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
