package dev.drover.operator.taskrun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.execution.TaskExecution;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The item units of unchanged chunks, kept between reconciles of a batched run. */
class ItemUnitsMemoTest {
  private final List<String> computed = new ArrayList<>();

  private static Unit chunk(String key, String... uidAtVersion) {
    List<TaskExecution> attempts = new ArrayList<>();
    for (String stored : uidAtVersion) {
      TaskExecution attempt = new TaskExecution();
      String[] parts = stored.split("@", -1);
      attempt.setMetadata(
          new ObjectMetaBuilder()
              .withName(key + "-" + (attempts.size() + 1))
              .withUid(parts[0].isEmpty() ? null : parts[0])
              .withResourceVersion(parts.length < 2 ? null : parts[1])
              .build());
      attempts.add(attempt);
    }
    return new Unit(key, null, null, Batches.chunkOf(key), attempts);
  }

  private Supplier<List<Unit>> items(String chunk, int count) {
    return () -> {
      computed.add(chunk);
      List<Unit> units = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        units.add(Unit.unborn(Unit.keyForItem(i), null, chunk + "/" + i));
      }
      return units;
    };
  }

  @Test
  void aChunkWhoseAttemptsAreUnchangedIsNotBuiltAgain() {
    ItemUnitsMemo memo = new ItemUnitsMemo(100);

    List<Unit> first = memo.itemsOf(chunk("batch-0", "u1@5"), 3, items("batch-0", 3));
    List<Unit> second = memo.itemsOf(chunk("batch-0", "u1@5"), 3, items("batch-0", 3));

    assertThat(second).isSameAs(first).hasSize(3);
    assertThat(computed).containsExactly("batch-0");
  }

  @Test
  void anAttemptWrittenSinceOrANewAttemptMakesTheChunkBuiltAgain() {
    ItemUnitsMemo memo = new ItemUnitsMemo(100);

    memo.itemsOf(chunk("batch-0", "u1@5"), 3, items("batch-0", 3));
    memo.itemsOf(chunk("batch-0", "u1@6"), 3, items("batch-0", 3));
    memo.itemsOf(chunk("batch-0", "u1@6", "u2@7"), 3, items("batch-0", 3));

    assertThat(computed).hasSize(3);
  }

  @Test
  void attemptsNotStoredYetAreNeverRemembered() {
    ItemUnitsMemo memo = new ItemUnitsMemo(100);

    memo.itemsOf(chunk("batch-0", "u1@5", "@"), 3, items("batch-0", 3));
    memo.itemsOf(chunk("batch-0", "u1@5", "@"), 3, items("batch-0", 3));

    assertThat(computed).hasSize(2);
    assertThat(memo.itemsHeld()).isZero();
  }

  @Test
  void theLeastRecentlyUsedChunksGoOnceTheItemsHeldPassTheBound() {
    ItemUnitsMemo memo = new ItemUnitsMemo(5);

    memo.itemsOf(chunk("batch-0", "a@1"), 2, items("batch-0", 2));
    memo.itemsOf(chunk("batch-1", "b@1"), 2, items("batch-1", 2));
    memo.itemsOf(chunk("batch-0", "a@1"), 2, items("batch-0", 2));
    memo.itemsOf(chunk("batch-2", "c@1"), 2, items("batch-2", 2));
    memo.itemsOf(chunk("batch-0", "a@1"), 2, items("batch-0", 2));
    memo.itemsOf(chunk("batch-1", "b@1"), 2, items("batch-1", 2));

    assertThat(computed).containsExactly("batch-0", "batch-1", "batch-2", "batch-1");
    assertThat(memo.itemsHeld()).isLessThanOrEqualTo(5);
  }
}
