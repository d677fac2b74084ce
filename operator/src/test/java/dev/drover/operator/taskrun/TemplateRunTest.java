package dev.drover.operator.taskrun;

import static dev.drover.operator.taskrun.Fixtures.T0;
import static dev.drover.operator.taskrun.Fixtures.agent;
import static dev.drover.operator.taskrun.Fixtures.completed;
import static dev.drover.operator.taskrun.Fixtures.run;
import static dev.drover.operator.taskrun.Fixtures.started;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.EnvEntry;
import dev.drover.api.task.Task;
import dev.drover.api.task.TaskParam;
import dev.drover.api.task.TaskSpec;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.RetryPolicy;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRef;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.api.taskrun.TaskRunStatus;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A run with a taskRef is resolved once, before it starts; from then on the spec recorded in its
 * status is what runs, whatever becomes of the Task, and only cancel is read from the run.
 */
class TemplateRunTest {
  private static final TaskRunSpec BY_TASK =
      TaskRunSpec.builder().taskRef(new TaskRef("greet", Map.of("who", "world"))).build();

  private static Task greet(String script) {
    Task task = new Task();
    task.setMetadata(new ObjectMetaBuilder().withName("greet").withNamespace("ops").build());
    task.setSpec(
        new TaskSpec(
            null,
            List.of(new TaskParam("who", null, true, null, null)),
            TaskRunSpec.builder()
                .selector(new LabelSelectorBuilder().addToMatchLabels("role", "scanner").build())
                .dispatch(Dispatch.Single)
                .script(script)
                .build()));
    return task;
  }

  private static TemplateRun.Tasks only(Task task) {
    return (namespace, name) ->
        namespace.equals("ops") && name.equals(task.getMetadata().getName()) ? task : null;
  }

  private static final TemplateRun.Tasks NOT_ASKED =
      (namespace, name) -> {
        throw new AssertionError("the Task was looked up");
      };

  /** The run as its first pass leaves it: started, with the spec it resolved recorded. */
  private static TaskRun startedWith(TaskRunSpec spec, Task task) {
    TaskRun run = started(spec, T0);
    TemplateRun first = TemplateRun.of(run(spec), only(task));
    run.setStatus(first.recordedIn(run.getStatus()));
    return run;
  }

  @Test
  void aRunWithoutTaskRefIsPlannedAsItIs() {
    TaskRun plain = run(Fixtures.spec(Dispatch.Single));

    TemplateRun templated = TemplateRun.of(plain, NOT_ASKED);

    assertThat(templated.run()).isSameAs(plain);
    assertThat(templated.problems()).isEmpty();
    assertThat(templated.recordedIn(null)).isNull();
  }

  @Test
  void beforeItStartsTheRunIsPlannedWithTheResolvedSpecWhichItsStatusRecords() {
    TemplateRun templated = TemplateRun.of(run(BY_TASK), only(greet("echo hello $(params.who)")));

    assertThat(templated.problems()).isEmpty();
    assertThat(templated.run().getSpec().script()).isEqualTo("echo hello \"${DROVER_PARAM_WHO}\"");
    assertThat(templated.run().getSpec().dispatch()).isEqualTo(Dispatch.Single);
    assertThat(templated.run().getMetadata().getName()).isEqualTo("scan");
    TaskRunStatus planned = started(BY_TASK, T0).getStatus();
    assertThat(templated.recordedIn(planned).resolvedSpec()).isEqualTo(templated.resolved());
    assertThat(templated.resolved().taskRef()).isNull();
  }

  @Test
  void anEditOfTheTaskAfterTheRunStartedDoesNotReachIt() {
    TaskRun run = startedWith(BY_TASK, greet("echo hello $(params.who)"));

    TemplateRun later = TemplateRun.of(run, only(greet("echo goodbye $(params.who)")));

    assertThat(later.run().getSpec().script()).isEqualTo("echo hello \"${DROVER_PARAM_WHO}\"");
    assertThat(later.recordedIn(run.getStatus()).resolvedSpec())
        .isEqualTo(run.getStatus().resolvedSpec());
  }

  @Test
  void aStartedRunNeedsItsTaskNoLonger() {
    TaskRun run = startedWith(BY_TASK, greet("echo hello $(params.who)"));

    TemplateRun later = TemplateRun.of(run, (namespace, name) -> null);

    assertThat(later.problems()).isEmpty();
    assertThat(later.run().getSpec().script()).isEqualTo("echo hello \"${DROVER_PARAM_WHO}\"");
  }

  @Test
  void cancelIsReadFromTheRunItself() {
    TaskRun run = startedWith(BY_TASK, greet("echo hello $(params.who)"));
    run.setSpec(BY_TASK.toBuilder().cancel(true).build());

    TemplateRun later = TemplateRun.of(run, NOT_ASKED);

    assertThat(later.run().getSpec().cancelRequested()).isTrue();
    assertThat(later.resolved().cancel()).as("the recorded spec is not changed").isNull();
  }

  @Test
  void otherEditsOfTheRunAfterItStartedDoNotReachIt() {
    TaskRun run = startedWith(BY_TASK, greet("echo hello $(params.who)"));
    run.setSpec(
        TaskRunSpec.builder()
            .taskRef(new TaskRef("greet", Map.of("who", "everyone")))
            .script("rm -rf /")
            .build());

    assertThat(TemplateRun.of(run, NOT_ASKED).run().getSpec().script())
        .isEqualTo("echo hello \"${DROVER_PARAM_WHO}\"");
  }

  @Test
  void aRunWhoseTaskCannotBeResolvedFailsInvalidSpecWithEveryProblem() {
    TaskRun run =
        run(TaskRunSpec.builder().taskRef(new TaskRef("greet", Map.of("whom", "x"))).build());

    TemplateRun templated = TemplateRun.of(run, only(greet("echo $(params.who)")));

    assertThat(templated.problems())
        .containsExactly(
            "unknown param \"whom\" for Task \"greet\"; it takes who",
            "param \"who\" of Task \"greet\" is required");
    RunDecision decision =
        RunPlanner.decide(
            new RunContext(
                templated.run(),
                List.of(),
                List.of(agent("scanner-1", 2, true)),
                Map.of(),
                List.of(),
                T0,
                templated.problems()));
    assertThat(decision.status().phase()).isEqualTo(RunPhase.Failed);
    assertThat(decision.status().reason()).isEqualTo("InvalidSpec");
    assertThat(decision.status().message())
        .isEqualTo(
            "invalid spec: unknown param \"whom\" for Task \"greet\"; it takes who; param \"who\""
                + " of Task \"greet\" is required");
    assertThat(decision.create()).isEmpty();
    assertThat(templated.recordedIn(decision.status()).resolvedSpec()).isNull();
  }

  @Test
  void aResolvedSpecWithoutSelectorFailsWithTheSentenceForIt() {
    Task noSelector = greet("echo $(params.who)");
    noSelector.setSpec(
        new TaskSpec(
            null,
            noSelector.getSpec().params(),
            noSelector.getSpec().template().toBuilder().selector(null).build()));
    TemplateRun templated = TemplateRun.of(run(BY_TASK), only(noSelector));

    RunDecision decision =
        RunPlanner.decide(
            new RunContext(templated.run(), List.of(), List.of(), Map.of(), List.of(), T0));

    assertThat(decision.status().message())
        .isEqualTo("invalid spec: selector is required (in the run or its Task's template)");
  }

  @Test
  void theRecordedSpecReadsBackEqualSoTheStatusIsNotRewrittenOnEveryPass() {
    Task full = greet("echo $(params.who)");
    full.setSpec(
        new TaskSpec(
            null,
            full.getSpec().params(),
            full.getSpec().template().toBuilder()
                .selector(
                    new LabelSelectorBuilder()
                        .addToMatchLabels("role", "db")
                        .addNewMatchExpression()
                        .withKey("zone")
                        .withOperator("In")
                        .withValues("a", "b")
                        .endMatchExpression()
                        .build())
                .maxFailures(new IntOrString("10%"))
                .retries(new RetryPolicy(2, 5, 2.0, 60))
                .env(List.of(new EnvEntry("PGHOST", "localhost")))
                .build()));
    TaskRunStatus status =
        TemplateRun.of(run(BY_TASK), only(full)).recordedIn(started(BY_TASK, T0).getStatus());
    KubernetesSerialization json = new KubernetesSerialization();

    assertThat(json.unmarshal(json.asJson(status), TaskRunStatus.class)).isEqualTo(status);
  }

  @Test
  void aFinishedRunIsNotResolvedAgain() {
    TaskRun failed = run(BY_TASK);
    completed(failed, T0);

    TemplateRun templated = TemplateRun.of(failed, NOT_ASKED);

    assertThat(templated.run()).isSameAs(failed);
    assertThat(templated.problems()).isEmpty();
  }
}
