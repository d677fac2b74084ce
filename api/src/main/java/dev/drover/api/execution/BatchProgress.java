package dev.drover.api.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * How far an agent got with a batch of items, bounded by the batch's size: succeeded items are
 * counted, not listed; only running and failed ones are named, by their index in the run's items.
 *
 * @param started the batch's items are started in batch order, and the agent records each start
 *     here before the item's process starts: the first {@code started} items have begun
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchProgress(
    @JsonPropertyDescription(
            "Items begun, in batch order; recorded before each item's process starts.")
        int started,
    @JsonPropertyDescription("Items whose process exited 0.") int succeeded,
    @JsonPropertyDescription("Indices (in the run's items) of items whose process runs now.")
        List<Integer> running,
    @JsonPropertyDescription("Items that failed, timed out, were cancelled or lost, by index.")
        List<ItemFailure> failed,
    @JsonPropertyDescription(
            "What items wrote to DROVER_RESULT, by index; only items that wrote something.")
        List<ItemResult> results) {

  /** A batch nothing of which has started. */
  public static final BatchProgress NONE = new BatchProgress(0, 0, List.of(), List.of(), List.of());

  /** One item that did not succeed. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ItemFailure(
      int index, ExecutionPhase phase, Integer exitCode, String reason, String message) {}

  /** One item's result. */
  public record ItemResult(int index, String result) {}

  public List<Integer> runningOrEmpty() {
    return running == null ? List.of() : running;
  }

  public List<ItemFailure> failedOrEmpty() {
    return failed == null ? List.of() : failed;
  }

  public List<ItemResult> resultsOrEmpty() {
    return results == null ? List.of() : results;
  }
}
