package dev.drover.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** crds/ is generated from the model; this fails the build when the two drift apart. */
class GeneratedCrdsTest {
  private static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");
  private static final Path COMMITTED = Path.of("../crds");
  private static final String HOW_TO_FIX =
      "regenerate with: mvn -pl api process-classes -Pupdate-crds";

  @Test
  void committedCrdsMatchTheModel() throws IOException {
    List<Path> generated = yamlFiles(GENERATED);
    assertThat(generated).as("CRDs generated from the model").isNotEmpty();
    assertThat(names(yamlFiles(COMMITTED)))
        .as(HOW_TO_FIX)
        .containsExactlyInAnyOrderElementsOf(names(generated));
    for (Path file : generated) {
      assertThat(Files.readString(COMMITTED.resolve(file.getFileName())))
          .as("%s differs from the model; %s", file.getFileName(), HOW_TO_FIX)
          .isEqualTo(Files.readString(file));
    }
  }

  private static List<Path> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
    }
  }

  private static List<String> names(List<Path> files) {
    return files.stream().map(f -> f.getFileName().toString()).toList();
  }
}
