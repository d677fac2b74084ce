package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the README's walkthrough is read; the real tier then carries it out (WalkthroughIT). */
class ReadmeWalkthroughTest {
  private static final String README =
      """
      # Title
      ## Walk
      Text with `inline`.

      ```sh
      java -jar app.jar &
      kubectl get things          # every thing
      ```

      ```
      NAME   AGE   READY
      a      5s    True
      ```

      ```yaml
      kind: Ignored
      ```
      ## Next
      ```sh
      not part of it
      ```
      """;

  @Test
  void shellBlocksBecomeCommandsAndTheTableAfterABlockIsItsExpectedOutput() {
    ReadmeWalkthrough walkthrough = ReadmeWalkthrough.parse(README, "## Walk");

    assertThat(walkthrough.blocks())
        .singleElement()
        .satisfies(
            block -> {
              assertThat(block.commands())
                  .containsExactly("java -jar app.jar &", "kubectl get things");
              assertThat(block.expectedTable())
                  .containsExactly("NAME   AGE   READY", "a      5s    True");
            });
  }

  @Test
  void tablesMatchCellByCellExceptWhereTimeShows() {
    List<String> expected = List.of("NAME   AGE   READY", "a      5s    True");

    assertThat(ReadmeWalkthrough.sameTable(expected, "NAME AGE READY\na 2m True\n")).isTrue();
    assertThat(ReadmeWalkthrough.sameTable(expected, "NAME AGE READY\na 5s False\n")).isFalse();
    assertThat(ReadmeWalkthrough.sameTable(expected, "No resources found\n")).isFalse();
  }

  @Test
  void theProjectReadmeHasAWalkthroughWithCommandsAndTables() throws IOException {
    Path readme =
        Path.of(System.getProperty("drover.root", "..")).toAbsolutePath().resolve("README.md");

    ReadmeWalkthrough walkthrough =
        ReadmeWalkthrough.parse(Files.readString(readme), WalkthroughIT.HEADING);

    assertThat(walkthrough.blocks()).hasSizeGreaterThan(3);
    assertThat(walkthrough.blocks()).anySatisfy(b -> assertThat(b.expectedTable()).isNotNull());
  }
}
