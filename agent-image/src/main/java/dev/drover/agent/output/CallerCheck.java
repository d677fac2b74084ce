package dev.drover.agent.output;

/** Decides whether the bearer of a token may read the output of executions in a namespace. */
@FunctionalInterface
public interface CallerCheck {
  /** How a check ended; the message is for the caller and names no secret. */
  record Verdict(Outcome outcome, String message) {
    static Verdict allowed() {
      return new Verdict(Outcome.ALLOWED, "");
    }
  }

  enum Outcome {
    ALLOWED,
    /** No token, or one the API server does not accept: 401. */
    UNAUTHENTICATED,
    /** A known caller without {@code get taskexecutions} in the namespace: 403. */
    FORBIDDEN,
    /** The API server could not be asked: 503. */
    UNAVAILABLE
  }

  /** Lets everyone in: only for an agent on a developer's machine ({@code --output-auth none}). */
  CallerCheck NONE = (token, namespace) -> Verdict.allowed();

  Verdict check(String token, String namespace);
}
