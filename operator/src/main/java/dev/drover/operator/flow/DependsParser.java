package dev.drover.operator.flow;

import dev.drover.operator.flow.DependsExpression.All;
import dev.drover.operator.flow.DependsExpression.Any;
import dev.drover.operator.flow.DependsExpression.Node;
import dev.drover.operator.flow.DependsExpression.Not;
import dev.drover.operator.flow.DependsExpression.State;
import dev.drover.operator.flow.DependsExpression.Term;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Recursive descent over the grammar; {@code pos} is the index of the next character. */
final class DependsParser {
  /** Bounds the nesting of ( and !, so that no text can exhaust the stack. */
  private static final int MAX_DEPTH = 32;

  private static final Pattern TASK = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final String STATES = "use Succeeded, Failed, Skipped or Done";

  private final String text;
  private int pos;
  private int depth;

  DependsParser(String text) {
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
