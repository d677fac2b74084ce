package dev.drover.api.taskrun;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.drover.api.EnvEntry;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskRunSpec(
    @JsonPropertyDescription(
            "A Task template this run uses; the fields set here override the template's.")
        TaskRef taskRef,
    @JsonPropertyDescription(
            "Picks the agents (or nodes, with executor Pod) that run the command; required unless"
                + " the taskRef's template sets it.")
        LabelSelector selector,
    @JsonPropertyDescription(
            "Broadcast (when unset, unless a taskRef's template sets it): every match; Single: one;"
                + " Distribute: one item per unit.")
        Dispatch dispatch,
    @JsonPropertyDescription(
            "Units of work for Distribute; each reaches the command as DROVER_ITEM.")
        List<String> items,
    @JsonPropertyDescription("Program and fixed arguments; use either command or script.")
        List<String> command,
    @JsonPropertyDescription("Arguments; $(VAR) expands from env and the DROVER_* variables.")
        List<String> args,
    @JsonPropertyDescription("A shell script run by /bin/sh -c; use either command or script.")
        String script,
    List<EnvEntry> env,
    String workingDir,
    @Min(1) @JsonPropertyDescription("Most targets running at once (default: all).")
        Integer parallelism,
    @Pattern("^([0-9]+|([0-9]|[1-9][0-9]|100)%)$")
        @JsonPropertyDescription(
            "Failed targets (a count, or a percentage of targets) at which no new targets start and"
                + " the run fails.")
        IntOrString maxFailures,
    @Min(1)
        @JsonPropertyDescription("Limit of each attempt, in seconds; the process tree is killed.")
        Long timeoutSeconds,
    @Min(1) @JsonPropertyDescription("Limit of the whole run, in seconds.")
        Long activeDeadlineSeconds,
    RetryPolicy retries,
    @Min(0) @JsonPropertyDescription("Delete the run this long after it finishes.")
        Long ttlSecondsAfterFinished,
    @JsonPropertyDescription("Set to true to cancel the run.") Boolean cancel,
    @JsonPropertyDescription(
            "Agent (when unset, unless a taskRef's template sets it): Drover agents run the"
                + " command; Pod: a pod per target on nodes matching the selector.")
        Executor executor,
    @JsonPropertyDescription("Image and pod settings; required with executor Pod.") PodOptions pod,
    @Min(0)
        @JsonPropertyDescription(
            "How long a run whose selector matches no Ready target waits, Pending, before it fails"
                + " NoTargets (default 60; 0 fails at once).")
        Long targetWaitSeconds,
    @Min(0)
        @JsonPropertyDescription(
            "Broadcast: targets that become Ready and match within this long after the run started"
                + " run it too (default 0).")
        Long lateJoinSeconds,
    @Min(1)
        @JsonPropertyDescription(
            "Distribute: hand items out in batches of this many per TaskExecution (unset: one"
                + " execution per item). The agent runs each item as its own process and reports"
                + " the batch's outcomes together; failed items are retried in new batches.")
        Integer itemsPerExecution) {

  public static final long DEFAULT_TARGET_WAIT_SECONDS = 60;

  public Dispatch dispatchOrDefault() {
    return dispatch == null ? Dispatch.Broadcast : dispatch;
  }

  public Executor executorOrDefault() {
    return executor == null ? Executor.Agent : executor;
  }

  public RetryPolicy retriesOrDefault() {
    return retries == null ? RetryPolicy.NONE : retries;
  }

  public boolean cancelRequested() {
    return Boolean.TRUE.equals(cancel);
  }

  public long targetWaitSecondsOrDefault() {
    return targetWaitSeconds == null ? DEFAULT_TARGET_WAIT_SECONDS : targetWaitSeconds;
  }

  public long lateJoinSecondsOrDefault() {
    return lateJoinSeconds == null ? 0 : lateJoinSeconds;
  }

  /** Whether a Distribute hands its items out in batches, several to an execution. */
  public boolean batched() {
    return itemsPerExecution != null;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .taskRef(taskRef)
        .selector(selector)
        .dispatch(dispatch)
        .items(items)
        .command(command)
        .args(args)
        .script(script)
        .env(env)
        .workingDir(workingDir)
        .parallelism(parallelism)
        .maxFailures(maxFailures)
        .timeoutSeconds(timeoutSeconds)
        .activeDeadlineSeconds(activeDeadlineSeconds)
        .retries(retries)
        .ttlSecondsAfterFinished(ttlSecondsAfterFinished)
        .cancel(cancel)
        .executor(executor)
        .pod(pod)
        .targetWaitSeconds(targetWaitSeconds)
        .lateJoinSeconds(lateJoinSeconds)
        .itemsPerExecution(itemsPerExecution);
  }

  /** Names every field it sets, so no spec is built or copied positionally. */
  public static final class Builder {
    private TaskRef taskRef;
    private LabelSelector selector;
    private Dispatch dispatch;
    private List<String> items;
    private List<String> command;
    private List<String> args;
    private String script;
    private List<EnvEntry> env;
    private String workingDir;
    private Integer parallelism;
    private IntOrString maxFailures;
    private Long timeoutSeconds;
    private Long activeDeadlineSeconds;
    private RetryPolicy retries;
    private Long ttlSecondsAfterFinished;
    private Boolean cancel;
    private Executor executor;
    private PodOptions pod;
    private Long targetWaitSeconds;
    private Long lateJoinSeconds;
    private Integer itemsPerExecution;

    private Builder() {}

    public Builder taskRef(TaskRef value) {
      taskRef = value;
      return this;
    }

    public Builder selector(LabelSelector value) {
      selector = value;
      return this;
    }

    public Builder dispatch(Dispatch value) {
      dispatch = value;
      return this;
    }

    public Builder items(List<String> value) {
      items = value;
      return this;
    }

    public Builder command(List<String> value) {
      command = value;
      return this;
    }

    public Builder args(List<String> value) {
      args = value;
      return this;
    }

    public Builder script(String value) {
      script = value;
      return this;
    }

    public Builder env(List<EnvEntry> value) {
      env = value;
      return this;
    }

    public Builder workingDir(String value) {
      workingDir = value;
      return this;
    }

    public Builder parallelism(Integer value) {
      parallelism = value;
      return this;
    }

    public Builder maxFailures(IntOrString value) {
      maxFailures = value;
      return this;
    }

    public Builder timeoutSeconds(Long value) {
      timeoutSeconds = value;
      return this;
    }

    public Builder activeDeadlineSeconds(Long value) {
      activeDeadlineSeconds = value;
      return this;
    }

    public Builder retries(RetryPolicy value) {
      retries = value;
      return this;
    }

    public Builder ttlSecondsAfterFinished(Long value) {
      ttlSecondsAfterFinished = value;
      return this;
    }

    public Builder cancel(Boolean value) {
      cancel = value;
      return this;
    }

    public Builder executor(Executor value) {
      executor = value;
      return this;
    }

    public Builder pod(PodOptions value) {
      pod = value;
      return this;
    }

    public Builder targetWaitSeconds(Long value) {
      targetWaitSeconds = value;
      return this;
    }

    public Builder lateJoinSeconds(Long value) {
      lateJoinSeconds = value;
      return this;
    }

    public Builder itemsPerExecution(Integer value) {
      itemsPerExecution = value;
      return this;
    }

    public TaskRunSpec build() {
      return new TaskRunSpec(
          taskRef,
          selector,
          dispatch,
          items,
          command,
          args,
          script,
          env,
          workingDir,
          parallelism,
          maxFailures,
          timeoutSeconds,
          activeDeadlineSeconds,
          retries,
          ttlSecondsAfterFinished,
          cancel,
          executor,
          pod,
          targetWaitSeconds,
          lateJoinSeconds,
          itemsPerExecution);
    }
  }
}
