package dev.drover.operator.taskrun;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A run's result, assembled from its executions when something needs it rather than kept in the
 * run's status, which a wide fan-in would outgrow.
 */
public final class RunResults {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private RunResults() {}

  /**
   * Single: the target's result, empty when it has none. Broadcast and Distribute: a JSON array
   * with one element per target in target order (agent or node name; item order); a result that is
   * JSON is embedded as it is, any other text as a string, and a target without one as null.
   */
  public static Optional<String> of(TaskRun run, Collection<TaskExecution> executions) {
    TaskRunSpec spec =
        run.getStatus() != null && run.getStatus().resolvedSpec() != null
            ? run.getStatus().resolvedSpec()
            : run.getSpec();
    return of(spec, Batches.targetsOf(spec, executions));
  }

  private static Optional<String> of(TaskRunSpec spec, List<Unit> targets) {
    if (spec.dispatchOrDefault() == Dispatch.Single) {
      return targets.stream().findFirst().map(RunResults::resultOf);
    }
    ArrayNode array = JSON.createArrayNode();
    for (Unit unit : targets) {
      String result = resultOf(unit);
      array.add(result == null ? NullNode.getInstance() : asJson(result));
    }
    return Optional.of(array.toString());
  }

  /** Kept of a result in the run's status; the whole is assembled from the executions. */
  static final int PREVIEW = 100;

  /** The start of the run's result, for its status; null when it has none. */
  static String preview(TaskRun run, List<Unit> units) {
    boolean any = units.stream().anyMatch(u -> !u.unborn() && resultOf(u) != null);
    if (!any) {
      return null;
    }
    return of(run.getSpec(), units)
        .filter(result -> !result.isEmpty())
        .map(
            result ->
                result.length() <= PREVIEW ? result : result.substring(0, PREVIEW - 3) + "...")
        .orElse(null);
  }

  private static String resultOf(Unit unit) {
    if (unit.unborn()) {
      return null;
    }
    TaskExecution latest = unit.latest();
    return latest.phase() == ExecutionPhase.Succeeded && latest.getStatus() != null
        ? latest.getStatus().result()
        : null;
  }

  /** A result as a JSON value: itself when it is JSON, else a string. */
  public static JsonNode asJson(String result) {
    try {
      return JSON.readTree(result);
    } catch (JsonProcessingException notJson) {
      return TextNode.valueOf(result);
    }
  }
}
