package dev.drover.agent.execution;

import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecutionStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Stands in for the API: remembers every write attempt and fails or holds them on request. */
final class FakeStatusWriter implements StatusReporter.Writer {
  record Attempt(ExecutionKey key, TaskExecutionStatus status) {}

  private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
  private final List<Attempt> written = new CopyOnWriteArrayList<>();
  private final Map<ExecutionKey, Integer> failuresToCome = new ConcurrentHashMap<>();
  private final Map<ExecutionKey, Boolean> deleted = new ConcurrentHashMap<>();
  private volatile CountDownLatch held = new CountDownLatch(0);

  @Override
  public boolean write(ExecutionKey key, TaskExecutionStatus status) {
    attempts.add(new Attempt(key, status));
    awaitRelease();
    if (deleted.containsKey(key)) {
      return false;
    }
    if (failuresToCome.getOrDefault(key, 0) > 0) {
      failuresToCome.merge(key, -1, Integer::sum);
      throw new KubernetesClientException("the API is unavailable");
    }
    written.add(new Attempt(key, status));
    return true;
  }

  /** The next {@code count} writes for the execution fail. */
  FakeStatusWriter failing(ExecutionKey key, int count) {
    failuresToCome.put(key, count);
    return this;
  }

  FakeStatusWriter failingAlways(ExecutionKey key) {
    return failing(key, Integer.MAX_VALUE);
  }

  FakeStatusWriter deleted(ExecutionKey key) {
    deleted.put(key, true);
    return this;
  }

  /** Writes wait, once started, until {@link #release} is called. */
  void hold() {
    held = new CountDownLatch(1);
  }

  void release() {
    held.countDown();
  }

  List<Attempt> attempts() {
    return List.copyOf(attempts);
  }

  List<ExecutionPhase> attemptedPhases(ExecutionKey key) {
    return phases(attempts, key);
  }

  List<ExecutionPhase> writtenPhases(ExecutionKey key) {
    return phases(written, key);
  }

  /** The statuses written for the execution, oldest first. */
  List<TaskExecutionStatus> written(ExecutionKey key) {
    return written.stream().filter(a -> a.key().equals(key)).map(Attempt::status).toList();
  }

  private static List<ExecutionPhase> phases(List<Attempt> list, ExecutionKey key) {
    return list.stream().filter(a -> a.key().equals(key)).map(a -> a.status().phase()).toList();
  }

  private void awaitRelease() {
    try {
      if (!held.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("a held write was never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesClientException("interrupted", e);
    }
  }
}
