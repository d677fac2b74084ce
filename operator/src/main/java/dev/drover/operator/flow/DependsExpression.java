package dev.drover.operator.flow;

import static java.util.stream.Collectors.joining;
import static java.util.stream.Collectors.toCollection;

import dev.drover.api.flow.FlowTaskPhase;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A flow task's condition over other tasks' outcomes, as in Argo's enhanced depends: {@code
 * a.Failed || (b.Succeeded && !c.Skipped)}. A bare name {@code a} means {@code (a.Succeeded ||
 * a.Skipped)}. It is evaluated in three-valued logic so that a task can be skipped as soon as its
 * condition can no longer hold, without waiting for every task it names to settle.
 */
final class DependsExpression {
  /** The outcomes a term can ask about. */
  private enum State {
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
    return new DependsExpression(new Parser(text == null ? "" : text).expression());
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

  private sealed interface Node {
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
  private record Term(String task, State state) implements Node {
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

  private record Not(Node operand) implements Node {
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

  private record All(List<Node> operands) implements Node {
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

  private record Any(List<Node> operands) implements Node {
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

  /** Recursive descent over the grammar; {@code pos} is the index of the next character. */
  private static final class Parser {
    /** Bounds the nesting of ( and !, so that no text can exhaust the stack. */
    private static final int MAX_DEPTH = 32;

    private static final Pattern TASK = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final String STATES = "use Succeeded, Failed, Skipped or Done";

    private final String text;
    private int pos;
    private int depth;

    Parser(String text) {
      this.text = text;
    }

    Node expression() {
      Node root = or();
      skipSpaces();
      if (pos < text.length()) {
        throw text.charAt(pos) == ')'
            ? error("unbalanced parenthesis: \")\" at column " + column(pos) + " has no \"(\"")
            : unexpected("&& or ||");
      }
      return root;
    }

    private Node or() {
      List<Node> operands = new ArrayList<>(List.of(and()));
      while (take("||")) {
        operands.add(and());
      }
      return operands.size() == 1 ? operands.get(0) : new Any(operands);
    }

    private Node and() {
      List<Node> operands = new ArrayList<>(List.of(unary()));
      while (take("&&")) {
        operands.add(unary());
      }
      return operands.size() == 1 ? operands.get(0) : new All(operands);
    }

    private Node unary() {
      if (take("!")) {
        return new Not(nested(this::unary));
      }
      int open = pos;
      if (take("(")) {
        Node inner = nested(this::or);
        skipSpaces();
        if (pos == text.length()) {
          throw error("unbalanced parenthesis: \"(\" at column " + column(open) + " is not closed");
        }
        if (!take(")")) {
          throw unexpected("&&, || or )");
        }
        return inner;
      }
      return term();
    }

    private Node term() {
      int start = pos;
      String name = word(ch -> Character.isLetterOrDigit(ch) || ch == '-' || ch == '_');
      if (name.isEmpty()) {
        throw error("expected a task name at column " + column(start));
      }
      if (!TASK.matcher(name).matches()) {
        throw error(
            "invalid task name \""
                + name
                + "\" at column "
                + column(start)
                + "; task names are lowercase letters, digits and inner hyphens");
      }
      if (pos == text.length() || text.charAt(pos) != '.') {
        return new Term(name, null);
      }
      pos++;
      int stateStart = pos;
      String state = word(Character::isLetterOrDigit);
      if (state.isEmpty()) {
        throw error("expected a state at column " + column(stateStart) + "; " + STATES);
      }
      return new Term(name, stateNamed(state, stateStart));
    }

    private State stateNamed(String state, int start) {
      for (State s : State.values()) {
        if (s.name().equals(state)) {
          return s;
        }
      }
      throw error("unknown state \"" + state + "\" at column " + column(start) + "; " + STATES);
    }

    private Node nested(Supplier<Node> inner) {
      if (++depth > MAX_DEPTH) {
        throw error("more than " + MAX_DEPTH + " nested levels at column " + column(pos - 1));
      }
      Node node = inner.get();
      depth--;
      return node;
    }

    /** Consumes the characters that satisfy {@code part}, from here on. */
    private String word(IntPredicate part) {
      int start = pos;
      while (pos < text.length() && part.test(text.charAt(pos))) {
        pos++;
      }
      return text.substring(start, pos);
    }

    /** Consumes {@code token} when it comes next, after any whitespace. */
    private boolean take(String token) {
      skipSpaces();
      if (text.startsWith(token, pos)) {
        pos += token.length();
        return true;
      }
      return false;
    }

    private void skipSpaces() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private IllegalArgumentException unexpected(String expected) {
      return error(
          "unexpected \""
              + text.charAt(pos)
              + "\" at column "
              + column(pos)
              + "; expected "
              + expected);
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException("depends \"" + text + "\": " + what);
    }

    private static int column(int index) {
      return index + 1;
    }
  }
}
