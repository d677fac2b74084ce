package dev.drover.operator.flow;

import static java.util.stream.Collectors.joining;
import static java.util.stream.Collectors.toCollection;

import dev.drover.api.flow.FlowTaskPhase;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A flow task's condition over other tasks' outcomes, as in Argo's enhanced depends: {@code
 * a.Failed || (b.Succeeded && !c.Skipped)}. A bare name {@code a} means {@code (a.Succeeded ||
 * a.Skipped)}. It is evaluated in three-valued logic so that a task can be skipped as soon as its
 * condition can no longer hold, without waiting for every task it names to settle.
 */
final class DependsExpression {
  /** The outcomes a term can ask about. */
  enum State {
    Succeeded,
    Failed,
    Skipped,
    /** Settled, whatever the outcome. */
    Done;

    /**
     * Whether a task that settled in {@code phase} is in this state; Cancelled counts as Failed.
     */
    boolean holds(FlowTaskPhase phase) {
      return switch (this) {
        case Succeeded -> phase == FlowTaskPhase.Succeeded;
        case Failed -> phase == FlowTaskPhase.Failed || phase == FlowTaskPhase.Cancelled;
        case Skipped -> phase == FlowTaskPhase.Skipped;
        case Done -> true;
      };
    }
  }

  private final Node root;

  private DependsExpression(Node root) {
    this.root = root;
  }

  /**
   * Reads a depends text; the exception's message says what is wrong and at which column (from 1).
   */
  static DependsExpression parse(String text) {
    return new DependsExpression(new DependsParser(text == null ? "" : text).expression());
  }

  /**
   * What {@code dependsOn: [a, b]} means: {@code a.Succeeded && b.Succeeded}; none holds at once.
   */
  static DependsExpression allSucceeded(List<String> tasks) {
    List<Node> terms = tasks.stream().<Node>map(t -> new Term(t, State.Succeeded)).toList();
    return new DependsExpression(terms.size() == 1 ? terms.get(0) : new All(terms));
  }

  /** The tasks named, in order of appearance. */
  Set<String> tasks() {
    return root.terms().map(Term::task).collect(toCollection(LinkedHashSet::new));
  }

  /** Whether the expression reacts to a failure of the task, so that failure is not the flow's. */
  boolean handlesFailureOf(String task) {
    return root.terms()
        .anyMatch(
            t -> t.task().equals(task) && (t.state() == State.Failed || t.state() == State.Done));
  }

  /**
   * True or false once the outcome is certain, empty while it still depends on a task that has not
   * settled. A phase of null counts as not settled.
   */
  Optional<Boolean> evaluate(Function<String, FlowTaskPhase> phaseOf) {
    return root.evaluate(phaseOf);
  }

  /** The canonical text: single spaces around operators, only the parentheses needed. */
  @Override
  public String toString() {
    return root.toString();
  }

  // Precedences: || binds loosest, then &&, then ! and terms.
  private static final int ANY = 1;
  private static final int ALL = 2;
  private static final int UNARY = 3;

  sealed interface Node {
    Optional<Boolean> evaluate(Function<String, FlowTaskPhase> phaseOf);

    /** The terms, left to right. */
    Stream<Term> terms();

    /** How tightly the node binds, so that it is parenthesised only under a tighter operator. */
    int precedence();

    /** The node's text, in parentheses when it binds more loosely than {@code precedence}. */
    default String within(int precedence) {
      return precedence() < precedence ? "(" + this + ")" : toString();
    }
  }

  /** {@code task.State}, or with a null state the bare {@code task}. */
  record Term(String task, State state) implements Node {
    @Override
    public Optional<Boolean> evaluate(Function<String, FlowTaskPhase> phaseOf) {
      FlowTaskPhase phase = phaseOf.apply(task);
      if (phase == null || !phase.isSettled()) {
        return Optional.empty();
      }
      return Optional.of(
          state == null
              ? State.Succeeded.holds(phase) || State.Skipped.holds(phase)
              : state.holds(phase));
    }

    @Override
    public Stream<Term> terms() {
      return Stream.of(this);
    }

    @Override
    public int precedence() {
      return UNARY;
    }

    @Override
    public String toString() {
      return state == null ? task : task + "." + state;
    }
  }

  record Not(Node operand) implements Node {
    @Override
    public Optional<Boolean> evaluate(Function<String, FlowTaskPhase> phaseOf) {
      return operand.evaluate(phaseOf).map(b -> !b);
    }

    @Override
    public Stream<Term> terms() {
      return operand.terms();
    }

    @Override
    public int precedence() {
      return UNARY;
    }

    @Override
    public String toString() {
      return "!" + operand.within(UNARY);
    }
  }

  record All(List<Node> operands) implements Node {
    @Override
    public Optional<Boolean> evaluate(Function<String, FlowTaskPhase> phaseOf) {
      return decide(operands, false, phaseOf);
    }

    @Override
    public Stream<Term> terms() {
      return operands.stream().flatMap(Node::terms);
    }

    @Override
    public int precedence() {
      return ALL;
    }

    @Override
    public String toString() {
      return operands.stream().map(o -> o.within(ALL)).collect(joining(" && "));
    }
  }

  record Any(List<Node> operands) implements Node {
    @Override
    public Optional<Boolean> evaluate(Function<String, FlowTaskPhase> phaseOf) {
      return decide(operands, true, phaseOf);
    }

    @Override
    public Stream<Term> terms() {
      return operands.stream().flatMap(Node::terms);
    }

    @Override
    public int precedence() {
      return ANY;
    }

    @Override
    public String toString() {
      return operands.stream().map(o -> o.within(ANY)).collect(joining(" || "));
    }
  }

  /**
   * Kleene's {@code ||} (decisive true) or {@code &&} (decisive false): one decisive operand
   * decides, an unknown one leaves the rest undecided.
   */
  private static Optional<Boolean> decide(
      List<Node> operands, boolean decisive, Function<String, FlowTaskPhase> phaseOf) {
    boolean unknown = false;
    for (Node operand : operands) {
      Optional<Boolean> value = operand.evaluate(phaseOf);
      if (value.isEmpty()) {
        unknown = true;
      } else if (value.get() == decisive) {
        return value;
      }
    }
    return unknown ? Optional.empty() : Optional.of(!decisive);
  }
}
