package dev.drover.operator.taskrun;

import static dev.drover.operator.taskrun.Fixtures.T0;
import static dev.drover.operator.taskrun.Fixtures.agent;
import static dev.drover.operator.taskrun.Fixtures.run;
import static dev.drover.operator.taskrun.Fixtures.spec;
import static dev.drover.operator.taskrun.Fixtures.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.drover.api.Timestamps;
import dev.drover.api.agent.Agent;
import dev.drover.api.execution.BatchProgress;
import dev.drover.api.execution.BatchProgress.ItemFailure;
import dev.drover.api.execution.BatchProgress.ItemResult;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionStatus;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TargetResult;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Planning a Distribute whose items are handed out in batches (itemsPerExecution). */
class BatchedDistributeTest {
  private static final List<Agent> TWO_AGENTS =
      List.of(agent("node-a", 1, true), agent("node-b", 1, true));

  /** Ten items, three to a batch: chunks batch-0..batch-3 of 3, 3, 3 and 1 items. */
  private static TaskRunSpec tenItemsInThrees() {
    return spec(Dispatch.Distribute).toBuilder()
        .items(IntStream.range(0, 10).mapToObj(i -> "host-" + i).toList())
        .itemsPerExecution(3)
        .build();
  }

  private static RunDecision decide(
      TaskRun run, List<TaskExecution> executions, Map<String, Integer> load, Instant now) {
    return RunPlanner.decide(new RunContext(run, executions, TWO_AGENTS, load, List.of(), now));
  }

  private static TaskExecution batch(
      TaskRun run, int chunk, List<Integer> indices, int attempt, TaskExecutionStatus status) {
    TaskExecution batch =
        ExecutionFactory.batchAttempt(
            run,
            Batches.keyForChunk(chunk),
            indices,
            attempt,
            chunk % 2 == 0 ? "node-a" : "node-b");
    // As stored by an API server: a uid of its own, so that the planner may remember its items.
    batch.getMetadata().setUid(UUID.randomUUID().toString());
    batch.getMetadata().setResourceVersion("1");
    batch.setStatus(status);
    return batch;
  }

  /** The batch as the API server returns it after a status write. */
  private static TaskExecution updated(TaskExecution batch, TaskExecutionStatus status) {
    TaskExecution update = new TaskExecution();
    update.setMetadata(
        new ObjectMetaBuilder(batch.getMetadata())
            .withResourceVersion(
                String.valueOf(Long.parseLong(batch.getMetadata().getResourceVersion()) + 1))
            .build());
    update.setSpec(batch.getSpec());
    update.setStatus(status);
    return update;
  }

  private static TaskExecutionStatus ended(ExecutionPhase phase, BatchProgress progress) {
    return TaskExecutionStatus.of(phase, null, null)
        .startedAt(Timestamps.format(T0))
        .completedAt(Timestamps.format(T0.plusSeconds(1)))
        .withBatch(progress);
  }

  private static TaskExecutionStatus running(BatchProgress progress) {
    return TaskExecutionStatus.of(ExecutionPhase.Running, "Started", null)
        .startedAt(Timestamps.format(T0))
        .withBatch(progress);
  }

  /** The first attempt of every chunk of the run, each with the status made of its indices. */
  private static List<TaskExecution> firstAttempts(
      TaskRun run, Function<List<Integer>, TaskExecutionStatus> statusOf) {
    List<TaskExecution> executions = new ArrayList<>();
    for (int chunk = 0; chunk < Batches.chunks(run.getSpec()).size(); chunk++) {
      List<Integer> indices = Batches.indicesOfChunk(run.getSpec(), chunk);
      executions.add(batch(run, chunk, indices, 1, statusOf.apply(indices)));
    }
    return executions;
  }

  private static BatchProgress allSucceeded(int items) {
    return new BatchProgress(items, items, List.of(), List.of(), List.of());
  }

  @Test
  void batchesAreCreatedOnlyForAgentsWithRoomAndTheRunCountsEveryItem() {
    RunDecision decision = decide(run(tenItemsInThrees()), List.of(), Map.of(), T0);

    assertThat(decision.create())
        .extracting(
            e -> e.getMetadata().getName(),
            e -> e.getSpec().agent(),
            e -> e.getSpec().itemIndices(),
            e -> e.getSpec().items())
        .containsExactly(
            tuple(
                "scan-batch-0-1",
                "node-a",
                List.of(0, 1, 2),
                List.of("host-0", "host-1", "host-2")),
            tuple(
                "scan-batch-1-1",
                "node-b",
                List.of(3, 4, 5),
                List.of("host-3", "host-4", "host-5")));
    assertThat(decision.status().targets().total()).isEqualTo(10);
    assertThat(decision.status().targets().pending()).isEqualTo(10);
    assertThat(decision.status().phase()).isEqualTo(RunPhase.Running);
  }

  @Test
  void aFinishedBatchMakesRoomForTheNextChunk() {
    TaskRun run = started(tenItemsInThrees(), T0);
    List<TaskExecution> executions =
        List.of(
            batch(run, 0, List.of(0, 1, 2), 1, ended(ExecutionPhase.Succeeded, allSucceeded(3))),
            batch(
                run,
                1,
                List.of(3, 4, 5),
                1,
                running(new BatchProgress(2, 1, List.of(4), List.of(), List.of()))));

    RunDecision decision = decide(run, executions, Map.of("node-b", 1), T0.plusSeconds(2));

    assertThat(decision.create())
        .extracting(e -> e.getMetadata().getName(), e -> e.getSpec().agent())
        .containsExactly(tuple("scan-batch-2-1", "node-a"));
    assertThat(decision.status().targets())
        .satisfies(
            counts -> {
              assertThat(counts.succeeded()).isEqualTo(4);
              assertThat(counts.running()).isEqualTo(1);
              assertThat(counts.queued()).isEqualTo(1);
              assertThat(counts.pending()).isEqualTo(4);
            });
  }

  @Test
  void eachStatusWriteOfABatchIsSeenAlthoughTheBatchesThatDidNotChangeAreRemembered() {
    TaskRun run = started(tenItemsInThrees(), T0);
    TaskExecution done =
        batch(run, 0, List.of(0, 1, 2), 1, ended(ExecutionPhase.Succeeded, allSucceeded(3)));
    TaskExecution begun =
        batch(
            run,
            1,
            List.of(3, 4, 5),
            1,
            running(new BatchProgress(1, 0, List.of(3), List.of(), List.of())));
    Map<String, Integer> busy = Map.of("node-a", 1, "node-b", 1);

    RunDecision before = decide(run, List.of(done, begun), busy, T0.plusSeconds(1));
    TaskExecution further =
        updated(begun, running(new BatchProgress(3, 2, List.of(5), List.of(), List.of())));
    RunDecision after = decide(run, List.of(done, further), busy, T0.plusSeconds(2));

    assertThat(before.status().targets())
        .extracting(c -> c.succeeded(), c -> c.running(), c -> c.queued())
        .containsExactly(3, 1, 2);
    assertThat(after.status().targets())
        .extracting(c -> c.succeeded(), c -> c.running(), c -> c.queued())
        .containsExactly(5, 1, 0);
  }

  @Test
  void failedAndLostItemsAreRetriedAsANewBatchOfJustThoseItemsOnceTheBatchHasEnded() {
    TaskRun run = started(Fixtures.withRetries(tenItemsInThrees(), 1, 0), T0);
    List<ItemFailure> failures =
        List.of(
            new ItemFailure(1, ExecutionPhase.Failed, 2, "NonZeroExit", "boom"),
            new ItemFailure(2, ExecutionPhase.Lost, null, "AgentRestarted", null));
    TaskExecution failed =
        batch(
            run,
            0,
            List.of(0, 1, 2),
            1,
            ended(ExecutionPhase.Failed, new BatchProgress(3, 1, List.of(), failures, List.of())));

    RunDecision decision = decide(run, List.of(failed), Map.of("node-b", 1), T0.plusSeconds(2));

    assertThat(decision.create())
        .filteredOn(e -> e.getSpec().unit().equals("batch-0"))
        .singleElement()
        .satisfies(
            retry -> {
              assertThat(retry.getMetadata().getName()).isEqualTo("scan-batch-0-2");
              assertThat(retry.getSpec().attempt()).isEqualTo(2);
              assertThat(retry.getSpec().itemIndices()).containsExactly(1, 2);
              assertThat(retry.getSpec().items()).containsExactly("host-1", "host-2");
            });
    assertThat(decision.status().targets().retrying()).isZero();
    assertThat(decision.status().targets().succeeded()).isEqualTo(1);
  }

  @Test
  void itemsOfABatchThatHasNotEndedAreNeverHandedOutAgain() {
    TaskRun run = started(Fixtures.withRetries(tenItemsInThrees(), 1, 0), T0);
    List<ItemFailure> failure =
        List.of(new ItemFailure(1, ExecutionPhase.Failed, 2, "NonZeroExit", "boom"));
    List<TaskExecution> executions =
        List.of(
            batch(
                run,
                0,
                List.of(0, 1, 2),
                1,
                running(new BatchProgress(2, 1, List.of(), failure, List.of()))),
            batch(run, 1, List.of(3, 4, 5), 1, null));

    RunDecision decision = decide(run, executions, Map.of("node-a", 1, "node-b", 1), T0);

    assertThat(decision.create()).isEmpty();
    assertThat(decision.status().targets().retrying()).isEqualTo(1);
  }

  @Test
  void anOperatorRestartedMidRunPlansTheSameBatchesFromTheExecutionsAlone() {
    TaskRun run = started(tenItemsInThrees(), T0);
    List<TaskExecution> executions =
        List.of(
            batch(run, 0, List.of(0, 1, 2), 1, ended(ExecutionPhase.Succeeded, allSucceeded(3))));

    RunDecision first = decide(run, executions, Map.of(), T0.plusSeconds(1));
    RunDecision again = decide(run, executions, Map.of(), T0.plusSeconds(9));

    assertThat(again.create())
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("metadata.creationTimestamp")
        .isEqualTo(first.create());
    assertThat(first.create())
        .extracting(e -> e.getSpec().itemIndices())
        .containsExactly(List.of(3, 4, 5), List.of(6, 7, 8));
  }

  @Test
  void parallelismCapsTheItemsInFlightAndNoBatchIsLargerThanIt() {
    TaskRun run = run(Fixtures.withParallelism(tenItemsInThrees(), 2));

    RunDecision decision = decide(run, List.of(), Map.of(), T0);

    assertThat(decision.create())
        .extracting(e -> e.getSpec().itemIndices())
        .containsExactly(List.of(0, 1));
    assertThat(decision.status().targets().total()).isEqualTo(10);
  }

  @Test
  void theRunSucceedsOnceEveryItemHasWithOneResultElementPerItem() {
    TaskRun run = started(tenItemsInThrees(), T0);
    List<TaskExecution> executions =
        firstAttempts(
            run,
            indices ->
                ended(
                    ExecutionPhase.Succeeded,
                    new BatchProgress(
                        indices.size(),
                        indices.size(),
                        List.of(),
                        List.of(),
                        indices.stream()
                            .filter(i -> i % 2 == 0)
                            .map(i -> new ItemResult(i, "{\"n\":" + i + "}"))
                            .toList())));

    RunDecision decision = decide(run, executions, Map.of(), T0.plusSeconds(2));

    assertThat(decision.status().phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(decision.status().targets().succeeded()).isEqualTo(10);
    assertThat(RunResults.of(run, executions))
        .contains("[{\"n\":0},null,{\"n\":2},null,{\"n\":4},null,{\"n\":6},null,{\"n\":8},null]");
  }

  @Test
  void tenThousandItemsKeepTheRunStatusBoundedWithFailuresFirst() {
    TaskRunSpec spec =
        spec(Dispatch.Distribute).toBuilder()
            .items(IntStream.range(0, 10_000).mapToObj(i -> "item-" + i).toList())
            .itemsPerExecution(500)
            .build();
    TaskRun run = started(spec, T0);
    List<ItemFailure> failure =
        List.of(new ItemFailure(3503, ExecutionPhase.Failed, 4, "NonZeroExit", "bad"));
    List<TaskExecution> executions =
        firstAttempts(
            run,
            indices ->
                indices.contains(3503)
                    ? ended(
                        ExecutionPhase.Failed,
                        new BatchProgress(500, 499, List.of(), failure, List.of()))
                    : ended(ExecutionPhase.Succeeded, allSucceeded(500)));

    RunDecision decision = decide(run, executions, Map.of(), T0.plusSeconds(5));

    assertThat(decision.status().phase()).isEqualTo(RunPhase.Failed);
    assertThat(decision.status().targets().succeeded()).isEqualTo(9_999);
    assertThat(decision.status().targets().failed()).isEqualTo(1);
    assertThat(decision.status().results()).hasSize(RunStatusBuilder.MAX_RESULTS);
    assertThat(decision.status().results().get(0))
        .extracting(TargetResult::item, TargetResult::phase, TargetResult::exitCode)
        .containsExactly("item-3503", ExecutionPhase.Failed, 4);
  }

  @Test
  void aBroadcastToAgentsNamedLikeBatchesIsUnaffected() {
    TaskRun run = started(spec(Dispatch.Broadcast), T0);
    List<Agent> agents = List.of(agent("batch-a", 1, true), agent("batch-7", 1, true));
    List<TaskExecution> done =
        List.of(
            Fixtures.execution(
                run, "batch-a", "batch-a", null, 1, "batch-a", ExecutionPhase.Succeeded, T0),
            Fixtures.execution(
                run, "batch-7", "batch-7", null, 1, "batch-7", ExecutionPhase.Succeeded, T0));

    RunDecision decision =
        RunPlanner.decide(
            new RunContext(run, done, agents, Map.of(), List.of(), T0.plusSeconds(1)));

    assertThat(decision.status().phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(decision.status().results())
        .extracting(TargetResult::target)
        .containsExactly("batch-7", "batch-a");
  }

  @Test
  void itemsPerExecutionIsOnlyForDistributeOnAgentsAndAtLeastOne() {
    TaskRunSpec broadcast = spec(Dispatch.Broadcast).toBuilder().itemsPerExecution(5).build();
    TaskRunSpec zero = tenItemsInThrees().toBuilder().itemsPerExecution(0).build();

    assertThat(SpecProblems.of(broadcast))
        .containsExactly("itemsPerExecution is only used with dispatch Distribute");
    assertThat(SpecProblems.of(zero)).containsExactly("itemsPerExecution must be at least 1");
    assertThat(SpecProblems.of(tenItemsInThrees())).isEmpty();
  }

  @Test
  void anInvalidItemsPerExecutionFailsTheRunWithAnEvent() {
    TaskRun run = run(spec(Dispatch.Single).toBuilder().itemsPerExecution(2).build());

    RunDecision decision = decide(run, List.of(), Map.of(), T0);

    assertThat(decision.create()).isEmpty();
    assertThat(decision.status().reason()).isEqualTo("InvalidSpec");
    assertThat(decision.status().message())
        .contains("itemsPerExecution is only used with dispatch Distribute");
    assertThat(decision.events()).extracting(e -> e.reason()).contains("InvalidSpec");
  }
}
