package dev.drover.api.taskrun;

/** What carries the command out: a Drover agent process, or a pod. */
public enum Executor {
  Agent,
  Pod
}
