package dev.drover.agent.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.agent.execution.Admission.Decision;
import dev.drover.api.execution.ExecutionPhase;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class AdmissionTest {
  private static final int CAPACITY = 2;
  private static final Set<Decision> TAKES_TO_RUN = EnumSet.of(Decision.RUN, Decision.QUEUE);

  @ParameterizedTest
  @CsvSource(
      useHeadersInDisplayName = true,
      textBlock =
          """
          phase,     cancel, known, accepting, busy, decision
          # new work takes a free slot, or waits for one
          Pending,   false,  false, true,      0,    RUN
          Pending,   false,  false, true,      1,    RUN
          Pending,   false,  false, true,      2,    QUEUE
          Queued,    false,  false, true,      0,    RUN
          Queued,    false,  false, true,      3,    QUEUE
          # late events for work already taken change nothing
          Pending,   false,  true,  true,      0,    IGNORE
          Queued,    false,  true,  true,      2,    IGNORE
          Running,   false,  true,  true,      1,    IGNORE
          # a stopping agent takes no new work
          Pending,   false,  false, false,     0,    IGNORE
          Running,   false,  false, false,     0,    IGNORE
          # restart: Running but never started by this process
          Running,   false,  false, true,      0,    REPORT_LOST
          Running,   false,  false, true,      2,    REPORT_LOST
          # finished work is never run again; work ended by someone else is let go
          Succeeded, false,  false, true,      0,    IGNORE
          Failed,    false,  false, true,      0,    IGNORE
          TimedOut,  false,  false, true,      0,    IGNORE
          Cancelled, true,   false, true,      0,    IGNORE
          Lost,      false,  false, true,      0,    IGNORE
          Succeeded, false,  true,  true,      1,    ABANDON
          Lost,      false,  true,  true,      1,    ABANDON
          Lost,      false,  true,  false,     1,    ABANDON
          # cancel
          Pending,   true,   false, true,      0,    CANCEL_UNSTARTED
          Queued,    true,   false, true,      0,    CANCEL_UNSTARTED
          # restart: cancelled while an earlier process of this agent ran it
          Running,   true,   false, true,      0,    CANCEL_LEFTOVER
          Running,   true,   false, false,     0,    IGNORE
          Pending,   true,   false, false,     0,    IGNORE
          Queued,    true,   true,  true,      2,    CANCEL_KNOWN
          Running,   true,   true,  true,      1,    CANCEL_KNOWN
          Running,   true,   true,  false,     1,    CANCEL_KNOWN
          """)
  void decides(
      ExecutionPhase phase,
      boolean cancel,
      boolean known,
      boolean accepting,
      int busy,
      Decision decision) {
    assertThat(new Admission(phase, cancel, known, accepting, busy, CAPACITY).decide())
        .isEqualTo(decision);
  }

  @Test
  void aRestartedAgentReportsWorkItWasRunningLostInsteadOfRunningItAgain() {
    assertThat(afterRestart(ExecutionPhase.Running).decide()).isEqualTo(Decision.REPORT_LOST);
  }

  @ParameterizedTest
  @EnumSource(
      value = ExecutionPhase.class,
      names = {"Succeeded", "Failed", "TimedOut", "Cancelled", "Lost"})
  void aRestartedAgentNeverRunsFinishedWorkAgain(ExecutionPhase finished) {
    assertThat(afterRestart(finished).decide()).isEqualTo(Decision.IGNORE);
  }

  @ParameterizedTest
  @EnumSource(
      value = ExecutionPhase.class,
      names = {"Pending", "Queued"})
  void aRestartedAgentRunsWorkThatNeverStarted(ExecutionPhase waiting) {
    assertThat(afterRestart(waiting).decide()).isEqualTo(Decision.RUN);
  }

  @Test
  void noFinishedExecutionIsEverRunOrReportedAgain() {
    assertThat(everyAdmission().filter(a -> a.phase().isFinished()))
        .allSatisfy(
            a -> assertThat(a.decide()).as("%s", a).isIn(Decision.IGNORE, Decision.ABANDON));
  }

  @Test
  void noExecutionIsTakenTwice() {
    assertThat(everyAdmission().filter(Admission::known))
        .allSatisfy(
            a ->
                assertThat(a.decide())
                    .as("%s", a)
                    .isIn(Decision.IGNORE, Decision.ABANDON, Decision.CANCEL_KNOWN));
  }

  @Test
  void anExecutionShownRunningIsOnlyRunByTheProcessThatStartedIt() {
    assertThat(everyAdmission().filter(a -> a.phase() == ExecutionPhase.Running))
        .allSatisfy(a -> assertThat(a.decide()).as("%s", a).isNotIn(TAKES_TO_RUN));
  }

  @Test
  void aStoppingAgentTakesNoNewWork() {
    assertThat(everyAdmission().filter(a -> !a.accepting()))
        .allSatisfy(
            a ->
                assertThat(a.decide())
                    .as("%s", a)
                    .isIn(Decision.IGNORE, Decision.ABANDON, Decision.CANCEL_KNOWN));
  }

  /** A fresh agent process, idle, seeing an execution it has not taken. */
  private static Admission afterRestart(ExecutionPhase phase) {
    return new Admission(phase, false, false, true, 0, CAPACITY);
  }

  /** Every combination of phase and flags, idle and full. */
  private static Stream<Admission> everyAdmission() {
    boolean[] both = {false, true};
    List<Admission> all = new ArrayList<>();
    for (ExecutionPhase phase : ExecutionPhase.values()) {
      for (boolean cancel : both) {
        for (boolean known : both) {
          for (boolean accepting : both) {
            all.add(new Admission(phase, cancel, known, accepting, 0, CAPACITY));
            all.add(new Admission(phase, cancel, known, accepting, CAPACITY, CAPACITY));
          }
        }
      }
    }
    return all.stream();
  }
}
