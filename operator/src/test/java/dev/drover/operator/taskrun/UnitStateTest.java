package dev.drover.operator.taskrun;

import static dev.drover.operator.taskrun.Fixtures.T0;
import static dev.drover.operator.taskrun.Fixtures.execution;
import static dev.drover.operator.taskrun.Fixtures.run;
import static dev.drover.operator.taskrun.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.RetryPolicy;
import dev.drover.api.taskrun.TaskRun;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitStateTest {
  private static final TaskRun RUN = run(spec(Dispatch.Single));

  /** Three attempts in all: the first and two retries. */
  private static final RetryPolicy TWO_RETRIES = new RetryPolicy(2, 10, 2.0, 300);

  @ParameterizedTest(name = "{0} attempt {1} on {2}, stop {3} -> {4}")
  @CsvSource(
      nullValues = "-",
      textBlock =
          """
          # latest phase, attempt, agent,  stop,                 state
          -,              1,       -,      -,                    PENDING
          -,              1,       -,      CANCELLED,            CANCELLED
          -,              1,       node-a, -,                    PENDING
          -,              1,       node-a, CANCELLED,            PENDING
          Queued,         1,       node-a, -,                    QUEUED
          Running,        1,       node-a, DEADLINE_EXCEEDED,    RUNNING
          Succeeded,      1,       node-a, -,                    SUCCEEDED
          Cancelled,      1,       node-a, -,                    CANCELLED
          Failed,         1,       node-a, -,                    RETRYING
          Failed,         2,       node-a, -,                    RETRYING
          Failed,         3,       node-a, -,                    FAILED
          Failed,         1,       node-a, MAX_FAILURES_REACHED, FAILED
          TimedOut,       2,       node-a, -,                    RETRYING
          Lost,           2,       node-a, -,                    RETRYING
          Lost,           2,       node-a, CANCELLED,            FAILED
          """)
  void followsFromTheLatestAttemptAlone(
      ExecutionPhase phase, int attempt, String agent, Stop stop, UnitState expected) {
    TaskExecution latest =
        execution(RUN, "single", null, null, attempt, agent, phase, phase == null ? null : T0);
    Unit unit = Unit.of(List.of(latest));

    assertThat(UnitState.of(unit, stop, TWO_RETRIES)).isEqualTo(expected);
  }
}
