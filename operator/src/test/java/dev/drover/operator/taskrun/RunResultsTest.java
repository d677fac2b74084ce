package dev.drover.operator.taskrun;

import static dev.drover.operator.taskrun.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.TaskRun;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunResultsTest {

  static TaskExecution attempt(
      TaskRun run,
      String unit,
      String target,
      String item,
      int n,
      ExecutionPhase phase,
      String result) {
    TaskExecution e = Fixtures.execution(run, unit, target, item, n, "a", phase, T0.plusSeconds(5));
    e.setStatus(e.getStatus().withResult(result));
    return e;
  }

  @Test
  void aSingleRunsResultIsItsTargetsResultAsWritten() {
    TaskRun run = Fixtures.run(Fixtures.spec(Dispatch.Single));

    assertThat(
            RunResults.of(
                run, List.of(attempt(run, "single", null, null, 1, ExecutionPhase.Succeeded, "7"))))
        .contains("7");
    assertThat(
            RunResults.of(
                run, List.of(attempt(run, "single", null, null, 1, ExecutionPhase.Failed, "7"))))
        .as("a failed attempt's result does not count")
        .isEmpty();
  }

  @Test
  void aBroadcastsResultIsAJsonArrayInTargetOrderWithJsonEmbeddedAndTextQuoted() {
    TaskRun run = Fixtures.run(Fixtures.spec(Dispatch.Broadcast));
    List<TaskExecution> executions =
        List.of(
            attempt(
                run, "scanner-2", "scanner-2", null, 1, ExecutionPhase.Succeeded, "plain \"text\""),
            attempt(run, "scanner-3", "scanner-3", null, 1, ExecutionPhase.Failed, null),
            attempt(
                run,
                "scanner-1",
                "scanner-1",
                null,
                1,
                ExecutionPhase.Succeeded,
                "{\"ok\": true}"));

    assertThat(RunResults.of(run, executions))
        .contains("[{\"ok\":true},\"plain \\\"text\\\"\",null]");
  }

  @Test
  void aDistributesResultFollowsItemOrderAndTakesEachUnitsLatestAttempt() {
    TaskRun run = Fixtures.run(Fixtures.spec(Dispatch.Distribute));
    List<TaskExecution> executions =
        List.of(
            attempt(run, "item-1", null, "b", 1, ExecutionPhase.Succeeded, "2"),
            attempt(run, "item-0", null, "a", 1, ExecutionPhase.Failed, "partial"),
            attempt(run, "item-0", null, "a", 2, ExecutionPhase.Succeeded, "1"),
            attempt(run, "item-10", null, "k", 1, ExecutionPhase.Succeeded, "11"));

    assertThat(RunResults.of(run, executions)).contains("[1,2,11]");
  }

  @Test
  void theStatusKeepsTheFirstHundredCharactersAndNothingWhenNoTargetWroteAResult() {
    TaskRun run = Fixtures.run(Fixtures.spec(Dispatch.Single));
    String longResult = "x".repeat(150);

    assertThat(
            RunResults.preview(
                run,
                Unit.group(
                    List.of(
                        attempt(
                            run, "single", null, null, 1, ExecutionPhase.Succeeded, longResult)))))
        .hasSize(RunResults.PREVIEW)
        .endsWith("xx...");
    assertThat(
            RunResults.preview(
                run,
                Unit.group(
                    List.of(
                        attempt(run, "single", null, null, 1, ExecutionPhase.Succeeded, null)))))
        .isNull();
  }
}
