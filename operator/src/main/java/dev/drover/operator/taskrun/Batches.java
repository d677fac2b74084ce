package dev.drover.operator.taskrun;

import dev.drover.api.execution.BatchProgress;
import dev.drover.api.execution.BatchProgress.ItemFailure;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionSpec;
import dev.drover.api.execution.TaskExecutionStatus;
import dev.drover.api.taskrun.TaskRunSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A batched Distribute (itemsPerExecution): its items cut into fixed chunks, each chunk one unit
 * whose attempts are batches, and each item's outcome read back out of the batch that last carried
 * it. Attempt 1 of a chunk carries all its items; attempt n+1 only those that failed in attempt n,
 * so every item's attempts follow from the executions alone and their names stay deterministic.
 */
final class Batches {
  private static final String CHUNK_PREFIX = "batch-";

  /** Enough for runs of tens of thousands of items at a few megabytes of heap. */
  static final int MEMO_MAX_ITEMS = 50_000;

  private static final ItemUnitsMemo ITEM_UNITS = new ItemUnitsMemo(MEMO_MAX_ITEMS);

  private Batches() {}

  /**
   * Items one batch carries: itemsPerExecution, but never more than the run's parallelism, which
   * caps the items a run has in flight.
   */
  static int size(TaskRunSpec spec) {
    int size = spec.itemsPerExecution();
    return spec.parallelism() == null ? size : Math.min(size, spec.parallelism());
  }

  static String keyForChunk(int chunk) {
    return CHUNK_PREFIX + chunk;
  }

  static int chunkOf(String key) {
    return Integer.parseInt(key.substring(CHUNK_PREFIX.length()));
  }

  /** Every chunk of the run's items, none attempted yet. */
  static List<Unit> chunks(TaskRunSpec spec) {
    int size = size(spec);
    int count = (spec.items().size() + size - 1) / size;
    return IntStream.range(0, count)
        .mapToObj(c -> new Unit(keyForChunk(c), null, null, c, List.of()))
        .toList();
  }

  /** The indices, in the run's items, of one chunk. */
  static List<Integer> indicesOfChunk(TaskRunSpec spec, int chunk) {
    int size = size(spec);
    int from = chunk * size;
    return IntStream.range(from, Math.min(from + size, spec.items().size())).boxed().toList();
  }

  /**
   * The items the unit's next attempt carries: the whole chunk first, then the items of the latest
   * attempt that failed, timed out or were lost.
   */
  static List<Integer> nextIndices(TaskRunSpec spec, Unit chunk) {
    if (chunk.unborn()) {
      return indicesOfChunk(spec, chunkOf(chunk.key()));
    }
    return itemViews(chunk.latest()).stream()
        .filter(view -> view.phase().isFailure())
        .map(view -> Unit.indexOf(view.getSpec().unit()))
        .toList();
  }

  /** What an execution counts against the run's parallelism: its items, one for a single target. */
  static int cost(TaskRunSpec spec, Unit unit) {
    if (!spec.batched()) {
      return 1;
    }
    return unit.unborn()
        ? indicesOfChunk(spec, chunkOf(unit.key())).size()
        : unit.latest().getSpec().items().size();
  }

  /**
   * The units a run's status and result count, one per target, from the run's executions: a batched
   * run's items, those of chunks without a batch yet included.
   */
  static List<Unit> targetsOf(TaskRunSpec spec, Collection<TaskExecution> executions) {
    List<Unit> attempted = Unit.group(executions);
    if (!spec.batched()) {
      return attempted;
    }
    Map<String, Unit> byKey = new HashMap<>();
    attempted.forEach(u -> byKey.put(u.key(), u));
    return targets(spec, chunks(spec).stream().map(c -> byKey.getOrDefault(c.key(), c)).toList());
  }

  /**
   * The units a run's status counts, one per target: a batched run's chunks become its items, each
   * seen through the latest batch that carried it, or unborn while none has.
   */
  static List<Unit> targets(TaskRunSpec spec, List<Unit> units) {
    if (!spec.batched()) {
      return units;
    }
    List<Unit> items = new ArrayList<>(spec.items().size());
    for (Unit chunk : units) {
      items.addAll(
          chunk.unborn()
              ? unbornItems(spec, chunk)
              : ITEM_UNITS.itemsOf(chunk, size(spec), () -> itemsOf(spec, chunk)));
    }
    items.sort(Unit.TARGET_ORDER);
    return items;
  }

  private static List<Unit> unbornItems(TaskRunSpec spec, Unit chunk) {
    return indicesOfChunk(spec, chunkOf(chunk.key())).stream()
        .map(index -> unbornItem(spec, index))
        .toList();
  }

  private static Unit unbornItem(TaskRunSpec spec, int index) {
    return Unit.unborn(Unit.keyForItem(index), null, spec.items().get(index));
  }

  /** A chunk's items, each seen through the latest of the chunk's batches that carried it. */
  private static List<Unit> itemsOf(TaskRunSpec spec, Unit chunk) {
    Map<Integer, TaskExecution> latest = new HashMap<>();
    for (TaskExecution attempt : chunk.attempts()) {
      for (TaskExecution view : itemViews(attempt)) {
        latest.put(Unit.indexOf(view.getSpec().unit()), view);
      }
    }
    List<Unit> items = new ArrayList<>();
    for (int index : indicesOfChunk(spec, chunkOf(chunk.key()))) {
      TaskExecution view = latest.get(index);
      items.add(view == null ? unbornItem(spec, index) : Unit.of(List.of(view)));
    }
    return List.copyOf(items);
  }

  /**
   * One execution per item of a batch, as if the item had run alone: its spec names the item, its
   * status says how the item stands within the batch.
   */
  static List<TaskExecution> itemViews(TaskExecution batch) {
    TaskExecutionSpec spec = batch.getSpec();
    TaskExecutionStatus status = batch.getStatus();
    BatchProgress progress =
        status == null || status.batch() == null ? BatchProgress.NONE : status.batch();
    Map<Integer, ItemFailure> failed = new HashMap<>();
    progress.failedOrEmpty().forEach(f -> failed.put(f.index(), f));
    Map<Integer, String> results = new HashMap<>();
    progress.resultsOrEmpty().forEach(r -> results.put(r.index(), r.result()));
    Set<Integer> running = new HashSet<>(progress.runningOrEmpty());
    List<TaskExecution> views = new ArrayList<>(spec.items().size());
    for (int position = 0; position < spec.items().size(); position++) {
      int index = spec.itemIndices().get(position);
      TaskExecutionStatus itemStatus =
          itemStatus(
                  batch, position < progress.started(), running.contains(index), failed.get(index))
              .withResult(results.get(index));
      TaskExecution view = new TaskExecution();
      view.setMetadata(batch.getMetadata());
      view.setSpec(
          spec.toBuilder()
              .unit(Unit.keyForItem(index))
              .item(spec.items().get(position))
              .items(null)
              .itemIndices(null)
              .build());
      view.setStatus(itemStatus);
      views.add(view);
    }
    return views;
  }

  private static TaskExecutionStatus itemStatus(
      TaskExecution batch, boolean started, boolean running, ItemFailure failure) {
    TaskExecutionStatus status = batch.getStatus();
    ExecutionPhase batchPhase = batch.phase();
    if (failure != null) {
      return TaskExecutionStatus.of(failure.phase(), failure.reason(), failure.message())
          .withExitCode(failure.exitCode())
          .startedAt(status.startTime())
          .completedAt(status.completionTime());
    }
    if (started && !running) {
      return TaskExecutionStatus.of(ExecutionPhase.Succeeded, "Completed", null)
          .withExitCode(0)
          .startedAt(status.startTime())
          .completedAt(status.completionTime());
    }
    if (!batchPhase.isFinished()) {
      ExecutionPhase phase = running ? ExecutionPhase.Running : waiting(batchPhase);
      return TaskExecutionStatus.of(phase, null, null)
          .startedAt(status == null ? null : status.startTime());
    }
    // The batch ended without this item's outcome: cut short by a cancel, or lost with its agent.
    ExecutionPhase phase =
        batchPhase == ExecutionPhase.Cancelled ? ExecutionPhase.Cancelled : ExecutionPhase.Lost;
    return TaskExecutionStatus.of(phase, status.reason(), status.message())
        .startedAt(running ? status.startTime() : null)
        .completedAt(status.completionTime());
  }

  /** An item not started yet in a batch that runs waits for a slot of its agent. */
  private static ExecutionPhase waiting(ExecutionPhase batchPhase) {
    return batchPhase == ExecutionPhase.Running ? ExecutionPhase.Queued : batchPhase;
  }
}
