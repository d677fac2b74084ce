package dev.drover.operator.taskrun;

import dev.drover.api.agent.Agent;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.Executor;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The targets a run may place work on, and the units its spec asks for. */
final class RunTargets {
  private RunTargets() {}

  static boolean inPods(TaskRunSpec spec) {
    return spec.executorOrDefault() == Executor.Pod;
  }

  /** Agents that may take the run's work (none when pods carry it out). */
  static List<Agent> eligibleAgents(RunContext ctx) {
    TaskRunSpec spec = ctx.run().getSpec();
    return inPods(spec)
        ? List.of()
        : Placement.eligible(ctx.agents(), spec.selector(), namespace(ctx.run()));
  }

  /** Names of the agents, or with executor Pod the nodes, that may take the run's work. */
  static List<String> names(RunContext ctx) {
    TaskRunSpec spec = ctx.run().getSpec();
    if (inPods(spec)) {
      return NodePlacement.eligible(ctx.nodes(), spec.selector(), spec.pod().tolerations()).stream()
          .map(n -> n.getMetadata().getName())
          .toList();
    }
    return eligibleAgents(ctx).stream().map(a -> a.getMetadata().getName()).toList();
  }

  /**
   * Agents a starting Broadcast waits for although others are Ready: registered within {@code
   * window} and seconds from their first Lease verdict, or Ready for less than {@code settle}.
   */
  static List<String> joiningAgents(RunContext ctx, Duration window, Duration settle) {
    TaskRunSpec spec = ctx.run().getSpec();
    if (inPods(spec) || spec.dispatchOrDefault() != Dispatch.Broadcast) {
      return List.of();
    }
    return Placement.joining(
        ctx.agents(), spec.selector(), namespace(ctx.run()), ctx.now(), window, settle);
  }

  /**
   * Agents a Broadcast would have run on but for their cordon: matching, serving the namespace,
   * Ready.
   */
  static List<String> cordonedAgents(RunContext ctx) {
    TaskRunSpec spec = ctx.run().getSpec();
    if (inPods(spec) || spec.dispatchOrDefault() != Dispatch.Broadcast) {
      return List.of();
    }
    return Placement.cordoned(ctx.agents(), spec.selector(), namespace(ctx.run()));
  }

  /** Why {@link #names} is empty. */
  static String explainNone(RunContext ctx) {
    TaskRunSpec spec = ctx.run().getSpec();
    return inPods(spec)
        ? NodePlacement.explainNoTargets(ctx.nodes(), spec.selector(), spec.pod().tolerations())
        : Placement.explainNoTargets(ctx.agents(), spec.selector(), namespace(ctx.run()));
  }

  /**
   * Units the spec asks for that no execution stands for yet: all of them on a first pass. Single
   * and Distribute units follow from the spec; Broadcast ones from {@code targets}.
   */
  static List<Unit> missing(
      TaskRun run, List<String> targets, Collection<TaskExecution> executions) {
    Set<String> present =
        executions.stream().map(e -> e.getSpec().unit()).collect(Collectors.toSet());
    TaskRunSpec spec = run.getSpec();
    List<Unit> wanted = new ArrayList<>();
    switch (spec.dispatchOrDefault()) {
      case Broadcast ->
          targets.forEach(t -> wanted.add(Unit.unborn(Unit.keyForTarget(t), t, null)));
      case Single -> wanted.add(Unit.unborn(Unit.SINGLE, null, null));
      case Distribute -> {
        if (spec.batched()) {
          wanted.addAll(Batches.chunks(spec));
          break;
        }
        for (int i = 0; i < spec.items().size(); i++) {
          wanted.add(Unit.unborn(Unit.keyForItem(i), null, spec.items().get(i)));
        }
      }
    }
    return wanted.stream().filter(u -> !present.contains(u.key())).toList();
  }

  static String namespace(TaskRun run) {
    return run.getMetadata().getNamespace();
  }
}
