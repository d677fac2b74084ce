package dev.drover.operator.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.operator.task.Substitution.Binding;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How a script refers to a bound value: always through its variable, quoted for the spot the
 * reference stands in, so that the shell expands it once and never parses it.
 */
class ShellTextTest {
  private static final Map<String, Binding> BOUND =
      Map.of(
          "params.db",
          Binding.param("db", "main"),
          References.ITEM,
          new Binding(References.ITEM, Substitution.ITEM_VARIABLE, null, "$(item)"));

  private static String replace(String script) {
    return ShellText.replace(script, BOUND, new LinkedHashMap<>());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          # spot                          | script                                  | becomes
          unquoted                        | pg_dump $(params.db)                    | pg_dump "${DROVER_PARAM_DB}"
          in double quotes                | echo "db: $(params.db)"                 | echo "db: ${DROVER_PARAM_DB}"
          in single quotes                | echo 'db: $(params.db)'                 | echo 'db: '"${DROVER_PARAM_DB}"''
          the item                        | echo $(item)                            | echo "${DROVER_ITEM}"
          after a closed single quote     | echo 'a' $(params.db)                   | echo 'a' "${DROVER_PARAM_DB}"
          an apostrophe in double quotes  | echo "it's $(params.db)"                | echo "it's ${DROVER_PARAM_DB}"
          a double quote in single quotes | echo 'say "$(params.db)"'               | echo 'say "'"${DROVER_PARAM_DB}"'"'
          an escaped quote                | echo \\" $(params.db)                   | echo \\" "${DROVER_PARAM_DB}"
          an escaped double quote inside  | echo "a\\"b $(params.db)"               | echo "a\\"b ${DROVER_PARAM_DB}"
          a command substitution in quotes| echo "$(cat $(params.db))"              | echo "$(cat "${DROVER_PARAM_DB}")"
          quotes in a substitution        | echo "$(echo "$(params.db)")"           | echo "$(echo "${DROVER_PARAM_DB}")"
          backquotes in double quotes     | echo "`cat $(params.db)`"               | echo "`cat "${DROVER_PARAM_DB}"`"
          after a nested subshell         | x=$( (cd /; ls) ) $(params.db)          | x=$( (cd /; ls) ) "${DROVER_PARAM_DB}"
          a parameter default             | echo ${DB:-$(params.db)}                | echo ${DB:-"${DROVER_PARAM_DB}"}
          a command substitution of ours  | echo $(date) $(params.db)               | echo $(date) "${DROVER_PARAM_DB}"
          """)
  void aReferenceBecomesItsVariableQuotedForItsSpot(String spot, String script, String becomes) {
    assertThat(replace(script)).isEqualTo(becomes);
  }

  @Test
  void anApostropheInACommentDoesNotOpenAQuote() {
    assertThat(replace("# don't quote twice\necho $(params.db) # it's here\necho '$(params.db)'"))
        .isEqualTo(
            "# don't quote twice\necho \"${DROVER_PARAM_DB}\" # it's here\n"
                + "echo ''\"${DROVER_PARAM_DB}\"''");
  }

  @Test
  void aHashInsideAWordIsNoComment() {
    assertThat(replace("echo a#'b' $(params.db) ${#x}"))
        .isEqualTo("echo a#'b' \"${DROVER_PARAM_DB}\" ${#x}");
  }

  @Test
  void anUnquotedHereDocumentGetsTheBareVariableAndItsQuotesStayText() {
    assertThat(
            replace("cat > conf <<EOF\nname='$(params.db)'\n\"$(item)\"\nEOF\necho $(params.db)"))
        .isEqualTo(
            "cat > conf <<EOF\nname='${DROVER_PARAM_DB}'\n\"${DROVER_ITEM}\"\nEOF\n"
                + "echo \"${DROVER_PARAM_DB}\"");
  }

  @Test
  void aTabStrippedHereDocumentEndsAtItsIndentedDelimiter() {
    assertThat(replace("cat <<-END\n\t$(params.db)\n\tEND\necho $(params.db)"))
        .isEqualTo("cat <<-END\n\t${DROVER_PARAM_DB}\n\tEND\necho \"${DROVER_PARAM_DB}\"");
  }

  @Test
  void twoHereDocumentsOnOneLineAreReadInTurn() {
    assertThat(replace("cat <<A - <<'B'\n$(params.db)\nA\n$(params.db)\nB\n$(params.db)"))
        .isEqualTo(
            "cat <<A - <<'B'\n${DROVER_PARAM_DB}\nA\n$(params.db)\nB\n\"${DROVER_PARAM_DB}\"");
  }

  @Test
  void aQuotedHereDocumentAndAnArithmeticExpansionKeepTheReferenceAsWritten() {
    assertThat(replace("cat <<'EOF'\n$(params.db)\nEOF\necho $(( $(params.db) + 1 )) $(params.db)"))
        .isEqualTo(
            "cat <<'EOF'\n$(params.db)\nEOF\necho $(( $(params.db) + 1 )) \"${DROVER_PARAM_DB}\"");
  }

  @Test
  void aHereStringIsNoHereDocument() {
    assertThat(replace("cat <<< $(params.db)\necho $(params.db)"))
        .isEqualTo("cat <<< \"${DROVER_PARAM_DB}\"\necho \"${DROVER_PARAM_DB}\"");
  }

  @Test
  void unboundReferencesAndTheScriptsOwnSubstitutionsStayAsWritten() {
    assertThat(replace("echo $(params.other) $(date +%F) '$(params.other)' $(tasks.a.result)"))
        .isEqualTo("echo $(params.other) $(date +%F) '$(params.other)' $(tasks.a.result)");
  }

  @Test
  void onlyTheBindingsAScriptUsesAreRecorded() {
    Map<String, Binding> used = new LinkedHashMap<>();

    ShellText.replace("echo $(item) $(item)", BOUND, used);

    assertThat(used).containsOnlyKeys(References.ITEM);
  }

  @Test
  void aReferenceWhereNoValueCanBeDataIsAProblem() {
    assertThat(ShellText.problems("echo $(( $(params.n) * 2 ))"))
        .containsExactly(
            "script uses $(params.n) inside $((...)), where a shell may run a value as code;"
                + " assign it to a variable and check that it is a number first");
    assertThat(ShellText.problems("cat <<\"EOF\"\n$(item)\nEOF\n"))
        .containsExactly(
            "script uses $(item) in a here-document with a quoted delimiter, where nothing is"
                + " replaced; leave the delimiter unquoted");
    assertThat(ShellText.problems("n=\"$(params.n)\"; echo $((n * 2))")).isEmpty();
    assertThat(ShellText.problems(null)).isEmpty();
  }
}
