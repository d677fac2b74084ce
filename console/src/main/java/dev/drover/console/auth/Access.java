package dev.drover.console.auth;

/** Whether a caller may do something: the question a SubjectAccessReview asks. */
@FunctionalInterface
public interface Access {
  /**
   * @param resource a drover.dev resource (taskruns, agents...) or a core one (events)
   * @param namespace "" for cluster-scoped resources, or for "in every namespace"
   */
  boolean allows(Caller caller, String verb, String resource, String namespace);

  /** Authentication off: the API server judges the console's own identity on every action. */
  Access EVERYTHING = (caller, verb, resource, namespace) -> true;
}
