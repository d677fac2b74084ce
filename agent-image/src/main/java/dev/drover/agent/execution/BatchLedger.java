package dev.drover.agent.execution;

import dev.drover.agent.process.ProcessOutcome;
import dev.drover.api.execution.BatchProgress;
import dev.drover.api.execution.BatchProgress.ItemFailure;
import dev.drover.api.execution.BatchProgress.ItemResult;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecutionStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What became of a batch's items so far: how many started, which run, which succeeded (with their
 * results, within a budget) and which did not. Its owner guards it with its own lock.
 */
final class BatchLedger {
  /** Failures whose output tail is kept; later ones keep their exit code and reason only. */
  static final int FAILURE_MESSAGES = 10;

  static final int FAILURE_MESSAGE_CHARS = 256;

  /** Results kept in one execution's status, which must stay far below the API's object limit. */
  static final int RESULT_BUDGET_CHARS = 256 * 1024;

  private final int items;
  private int started;
  private int succeeded;
  private int resultChars;
  private final Set<Integer> running = new LinkedHashSet<>();
  private final List<ItemFailure> failed = new ArrayList<>();
  private final List<ItemResult> results = new ArrayList<>();

  private BatchLedger(int items) {
    this.items = items;
  }

  /** A batch none of whose items has started. */
  static BatchLedger fresh(int items) {
    return new BatchLedger(items);
  }

  /**
   * The progress an earlier process of this agent recorded: the items it recorded as running have
   * an unknown outcome and are Lost.
   */
  static BatchLedger resumed(int items, BatchProgress progress) {
    BatchLedger ledger = new BatchLedger(items);
    ledger.started = progress.started();
    ledger.succeeded = progress.succeeded();
    ledger.failed.addAll(progress.failedOrEmpty());
    ledger.results.addAll(progress.resultsOrEmpty());
    progress.resultsOrEmpty().forEach(r -> ledger.resultChars += r.result().length());
    for (int index : progress.runningOrEmpty()) {
      ledger.failed.add(
          new ItemFailure(
              index,
              ExecutionPhase.Lost,
              null,
              "AgentRestarted",
              "the agent restarted while this item ran; its outcome is unknown"));
    }
    return ledger;
  }

  /** Position in the batch of the next item to start. */
  int nextPosition() {
    return started;
  }

  boolean allStarted() {
    return started == items;
  }

  boolean noneStarted() {
    return started == 0;
  }

  boolean noneRunning() {
    return running.isEmpty();
  }

  boolean anyFailed() {
    return !failed.isEmpty();
  }

  /** The item at the next position, whose index is {@code index}, starts. */
  void started(int index) {
    started++;
    running.add(index);
  }

  /** The item ended as the agent reports it: succeeded with its result, or not. */
  void ended(int index, ProcessOutcome reported) {
    running.remove(index);
    if (reported.phase() != ExecutionPhase.Succeeded) {
      fail(index, reported.phase(), reported.exitCode(), reported.reason(), reported.output());
    } else if (reported.result() == null) {
      succeeded++;
    } else if (resultChars + reported.result().length() > RESULT_BUDGET_CHARS) {
      fail(
          index,
          ExecutionPhase.Failed,
          reported.exitCode(),
          "ResultTooLarge",
          "the batch's results would exceed " + RESULT_BUDGET_CHARS + " characters");
    } else {
      succeeded++;
      resultChars += reported.result().length();
      results.add(new ItemResult(index, reported.result()));
    }
  }

  /** Forgets that the item runs, without an outcome: the batch has ended without it. */
  void stoppedRunning(int index) {
    running.remove(index);
  }

  /** The batch's status while its items run. */
  TaskExecutionStatus runningStatus(String startTime) {
    return TaskExecutionStatus.of(ExecutionPhase.Running, "Started", summary())
        .startedAt(startTime)
        .withBatch(progress());
  }

  /** The batch's status once it ended. */
  TaskExecutionStatus endedStatus(
      ExecutionPhase phase, String reason, String startTime, Instant endTime) {
    return TaskExecutionStatus.of(phase, reason, summary())
        .startedAt(startTime)
        .completedAt(endTime)
        .withBatch(progress());
  }

  private BatchProgress progress() {
    return new BatchProgress(
        started, succeeded, List.copyOf(running), List.copyOf(failed), List.copyOf(results));
  }

  private String summary() {
    return succeeded
        + " of "
        + items
        + " item(s) succeeded"
        + (failed.isEmpty() ? "" : ", " + failed.size() + " did not");
  }

  private void fail(int index, ExecutionPhase phase, Integer exitCode, String reason, String out) {
    String message = failed.size() < FAILURE_MESSAGES ? tail(out) : null;
    failed.add(new ItemFailure(index, phase, exitCode, reason, message));
  }

  private static String tail(String output) {
    if (output == null || output.length() <= FAILURE_MESSAGE_CHARS) {
      return output;
    }
    return output.substring(output.length() - FAILURE_MESSAGE_CHARS);
  }
}
