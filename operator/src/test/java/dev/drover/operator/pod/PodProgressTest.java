package dev.drover.operator.pod;

import static dev.drover.operator.pod.PodFixtures.T0;
import static dev.drover.operator.pod.PodFixtures.attempt;
import static dev.drover.operator.pod.PodFixtures.created;
import static dev.drover.operator.pod.PodFixtures.inPhase;
import static dev.drover.operator.pod.PodFixtures.released;
import static dev.drover.operator.pod.PodFixtures.terminated;
import static dev.drover.operator.pod.PodFixtures.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.execution.TaskExecutionStatus;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PodProgressTest {

  private static PodStep decide(TaskExecution execution, Pod pod, java.time.Instant now) {
    return PodProgress.decide(execution, Optional.ofNullable(pod), now);
  }

  private static TaskExecution withStatus(
      TaskExecution execution, ExecutionPhase phase, String reason) {
    execution.setStatus(TaskExecutionStatus.of(phase, reason, null));
    return execution;
  }

  private static TaskExecution cancelled(TaskExecution execution) {
    execution.setSpec(execution.getSpec().cancelled());
    return execution;
  }

  @Nested
  class Starting {
    @Test
    void aReleasedAttemptWithoutAPodGetsOneAndIsMarkedPodCreated() {
      PodStep step = decide(released("db-3"), null, T0);

      assertThat(step.create().getMetadata().getName()).isEqualTo("dump-db-3-1");
      assertThat(step.status().phase()).isEqualTo(ExecutionPhase.Pending);
      assertThat(step.status().reason()).isEqualTo("PodCreated");
      assertThat(step.requeueAfter())
          .as("a look when the start bound is reached")
          .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void anAttemptWhosePodNameWasStillTakenTriesToCreateItAgain() {
      TaskExecution execution = released("db-3");
      execution.setStatus(PodProgress.nameTaken(PodRenderer.render(execution)));

      PodStep step = decide(execution, null, T0);

      assertThat(step.create()).isNotNull();
      assertThat(step.status().reason()).isEqualTo("PodCreated");
    }

    @Test
    void anAttemptNotYetReleasedWaitsForItsSlot() {
      assertThat(decide(attempt("db-3", null, false), null, T0)).isEqualTo(PodStep.NOTHING);
    }

    @Test
    void aPodThatVanishedAfterItWasCreatedIsLostNotCreatedAgain() {
      TaskExecution execution = withStatus(released("db-3"), ExecutionPhase.Running, "Started");

      PodStep step = decide(execution, null, T0);

      assertThat(step.create()).isNull();
      assertThat(step.status().phase()).isEqualTo(ExecutionPhase.Lost);
      assertThat(step.status().reason()).isEqualTo("PodDeleted");
    }
  }

  @Nested
  class Mirroring {
    /** The status of a running attempt whose pod on db-3 ended in the phase, as it ended. */
    private TaskExecutionStatus finished(String phase, ContainerStateBuilder container) {
      TaskExecution execution = withStatus(released("db-3"), ExecutionPhase.Running, "Started");
      Pod pod = inPhase(created(execution, T0), phase, "db-3", container);
      return decide(execution, pod, T0.plusSeconds(10)).status();
    }

    @Test
    void aRunningPodMakesTheAttemptRunningOnItsNode() {
      TaskExecution execution = withStatus(released("db-3"), ExecutionPhase.Pending, "PodCreated");
      Pod pod =
          inPhase(
              created(execution, T0),
              "Running",
              "db-3",
              new ContainerStateBuilder()
                  .withNewRunning()
                  .withStartedAt(T0.plusSeconds(2).toString())
                  .endRunning());

      TaskExecutionStatus status = decide(execution, pod, T0.plusSeconds(3)).status();

      assertThat(status.phase()).isEqualTo(ExecutionPhase.Running);
      assertThat(status.node()).isEqualTo("db-3");
      assertThat(status.startTime()).isEqualTo(T0.plusSeconds(2).toString());
    }

    @Test
    void aSucceededPodReportsExitCodeZeroAndItsTimes() {
      TaskExecutionStatus status = finished("Succeeded", terminated(0, "Completed", null));

      assertThat(status.phase()).isEqualTo(ExecutionPhase.Succeeded);
      assertThat(status.exitCode()).isZero();
      assertThat(status.startTime()).isEqualTo(T0.plusSeconds(2).toString());
      assertThat(status.completionTime()).isEqualTo(T0.plusSeconds(9).toString());
    }

    @Test
    void anOomKilledPodFailsWithThatReason() {
      TaskExecutionStatus status = finished("Failed", terminated(137, "OOMKilled", null));

      assertThat(status.phase()).isEqualTo(ExecutionPhase.Failed);
      assertThat(status.exitCode()).isEqualTo(137);
      assertThat(status.reason()).isEqualTo("OOMKilled");
    }

    @Test
    void theTerminationMessageOfAFinishedPodIsItsResultWithoutTrailingNewlines() {
      TaskExecutionStatus status =
          finished("Succeeded", terminated(0, "Completed", "dumped 42 tables\r\n"));

      assertThat(status.result()).isEqualTo("dumped 42 tables");
      assertThat(status.message()).as("the result is not repeated as the message").isNull();
    }

    @Test
    void aFailedPodsTerminationMessageTheLogTailAsTheKubeletKeptItIsItsMessageNotAResult() {
      TaskExecutionStatus status =
          finished("Failed", terminated(137, "OOMKilled", "dumping table big...\n"));

      assertThat(status.phase()).isEqualTo(ExecutionPhase.Failed);
      assertThat(status.message()).isEqualTo("dumping table big...\n");
      assertThat(status.result()).isNull();
    }

    @Test
    void aLongFailureMessageKeepsItsTail() {
      String output = "x".repeat(10_000) + "the end";

      String message = finished("Failed", terminated(1, "Error", output)).message();

      assertThat(message).hasSize(PodStates.MAX_MESSAGE).endsWith("the end");
    }

    @Test
    void aPodThatWroteNoResultHasNone() {
      assertThat(finished("Succeeded", terminated(0, "Completed", null)).result()).isNull();
      assertThat(finished("Succeeded", terminated(0, "Completed", "\n")).result()).isNull();
    }

    @Test
    void aPodPastItsActiveDeadlineTimesOut() {
      TaskExecution execution = withStatus(released("db-3"), ExecutionPhase.Running, "Started");
      Pod pod = inPhase(created(execution, T0), "Failed", "db-3", terminated(137, "Error", null));
      pod.getStatus().setReason("DeadlineExceeded");
      pod.getStatus().setMessage("Pod was active on the node longer than the specified deadline");

      TaskExecutionStatus status = decide(execution, pod, T0.plusSeconds(700)).status();

      assertThat(status.phase()).isEqualTo(ExecutionPhase.TimedOut);
      assertThat(status.reason()).isEqualTo("DeadlineExceeded");
      assertThat(status.message())
          .isEqualTo("Pod was active on the node longer than the specified deadline");
    }

    @Test
    void anEvictedPodIsLostAndSoRetried() {
      TaskExecution execution = withStatus(released("db-3"), ExecutionPhase.Running, "Started");
      Pod pod = inPhase(created(execution, T0), "Failed", "db-3", null);
      pod.getStatus().setReason("Evicted");

      assertThat(decide(execution, pod, T0.plusSeconds(10)).status().phase())
          .isEqualTo(ExecutionPhase.Lost);
    }
  }

  @Nested
  class NeverStarting {
    @Test
    void anUnscheduledPodWaitsUntilItsStartTimeoutThenFailsAsUnschedulableAndIsDeleted() {
      TaskExecution execution = withStatus(released(null), ExecutionPhase.Pending, "PodCreated");
      Pod pod = created(execution, T0);
      pod.setStatus(
          new io.fabric8.kubernetes.api.model.PodStatusBuilder()
              .withPhase("Pending")
              .withConditions(
                  new PodConditionBuilder()
                      .withType("PodScheduled")
                      .withStatus("False")
                      .withReason("Unschedulable")
                      .withMessage("0/3 nodes are available: 3 Insufficient memory.")
                      .build())
              .build());

      PodStep waiting = decide(execution, pod, T0.plusSeconds(20));
      PodStep givenUp = decide(execution, pod, T0.plusSeconds(60));

      assertThat(waiting.status().reason()).isEqualTo("Unschedulable");
      assertThat(waiting.status().phase()).isEqualTo(ExecutionPhase.Pending);
      assertThat(waiting.requeueAfter()).isEqualTo(Duration.ofSeconds(40));
      assertThat(waiting.deletePod()).isFalse();
      assertThat(givenUp.status().phase()).isEqualTo(ExecutionPhase.Failed);
      assertThat(givenUp.status().reason()).isEqualTo("Unschedulable");
      assertThat(givenUp.status().message())
          .isEqualTo(
              "pod did not start within 60s: 0/3 nodes are available: 3 Insufficient memory.");
      assertThat(givenUp.deletePod()).isTrue();
    }

    @Test
    void aPodNobodyScheduledFailsAsUnschedulableToo() {
      TaskExecution execution = withStatus(released(null), ExecutionPhase.Pending, "PodCreated");

      PodStep step = decide(execution, created(execution, T0), T0.plusSeconds(61));

      assertThat(step.status().reason()).isEqualTo("Unschedulable");
      assertThat(step.status().message()).isEqualTo("pod did not start within 60s: not scheduled");
    }

    @Test
    void anImageThatCannotBePulledFailsWithThePullErrorOnceTheBoundPasses() {
      TaskExecution execution = withStatus(released("db-3"), ExecutionPhase.Pending, "PodCreated");
      Pod pod =
          inPhase(
              created(execution, T0),
              "Pending",
              "db-3",
              waiting("ImagePullBackOff", "Back-off pulling image \"postgres:61\""));

      assertThat(decide(execution, pod, T0.plusSeconds(30)).status().reason())
          .isEqualTo("ImagePullBackOff");
      PodStep step = decide(execution, pod, T0.plusSeconds(60));

      assertThat(step.status().phase()).isEqualTo(ExecutionPhase.Failed);
      assertThat(step.status().reason()).isEqualTo("ImagePullBackOff");
      assertThat(step.deletePod()).isTrue();
    }

    @Test
    void anInvalidImageNameFailsAtOnce() {
      TaskExecution execution = withStatus(released("db-3"), ExecutionPhase.Pending, "PodCreated");
      Pod pod =
          inPhase(
              created(execution, T0),
              "Pending",
              "db-3",
              waiting("InvalidImageName", "couldn't parse image reference \"Postgres:16\""));

      PodStep step = decide(execution, pod, T0.plusSeconds(1));

      assertThat(step.status().phase()).isEqualTo(ExecutionPhase.Failed);
      assertThat(step.status().reason()).isEqualTo("InvalidImageName");
      assertThat(step.status().message())
          .isEqualTo("couldn't parse image reference \"Postgres:16\"");
    }
  }

  @Nested
  class Stopping {
    @Test
    void cancelDeletesARunningPodAndEndsTheAttemptCancelled() {
      TaskExecution execution =
          cancelled(withStatus(released("db-3"), ExecutionPhase.Running, "Started"));
      Pod pod = inPhase(created(execution, T0), "Running", "db-3", null);

      PodStep step = decide(execution, pod, T0.plusSeconds(5));

      assertThat(step.deletePod()).isTrue();
      assertThat(step.status().phase()).isEqualTo(ExecutionPhase.Cancelled);
    }

    @Test
    void aPodThatFinishedBeforeTheCancelKeepsItsOutcome() {
      TaskExecution execution =
          cancelled(withStatus(released("db-3"), ExecutionPhase.Running, "Started"));
      Pod pod =
          inPhase(created(execution, T0), "Succeeded", "db-3", terminated(0, "Completed", null));

      PodStep step = decide(execution, pod, T0.plusSeconds(10));

      assertThat(step.deletePod()).isFalse();
      assertThat(step.status().phase()).isEqualTo(ExecutionPhase.Succeeded);
    }

    @Test
    void anAttemptTheOperatorTimedOutHasItsStillRunningPodDeleted() {
      TaskExecution execution = withStatus(released("db-3"), ExecutionPhase.TimedOut, "Timeout");
      Pod pod = inPhase(created(execution, T0), "Running", "db-3", null);

      PodStep step = decide(execution, pod, T0.plusSeconds(700));

      assertThat(step.deletePod()).isTrue();
      assertThat(step.status()).isNull();
    }
  }
}
