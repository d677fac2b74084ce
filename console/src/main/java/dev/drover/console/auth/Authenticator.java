package dev.drover.console.auth;

/** Says who holds a bearer token. */
public interface Authenticator {
  /**
   * @return the caller, or empty when the API server does not accept the token
   * @throws io.fabric8.kubernetes.client.KubernetesClientException when it cannot be asked
   */
  java.util.Optional<Caller> authenticate(String token, boolean fromCookie);
}
