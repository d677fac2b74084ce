package dev.drover.console.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF tokens for changes a browser sends with the login cookie: an HMAC of the caller's token
 * under a key this process drew at start, so a page of another site can neither read nor guess it,
 * and a restart (or another replica) asks the person to reload the page.
 */
public final class Csrf {
  private final byte[] key;

  public Csrf() {
    key = new byte[32];
    new SecureRandom().nextBytes(key);
  }

  public String tokenFor(Caller caller) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] subject =
          (caller.isLocal() ? "local" : caller.token()).getBytes(StandardCharsets.UTF_8);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(subject));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  public boolean matches(Caller caller, String presented) {
    return presented != null
        && MessageDigest.isEqual(
            tokenFor(caller).getBytes(StandardCharsets.US_ASCII),
            presented.getBytes(StandardCharsets.US_ASCII));
  }
}
