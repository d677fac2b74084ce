package dev.drover.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KubeNamesTest {
  @Test
  void shortNamesAreJoinedAndLowerCased() {
    assertThat(KubeNames.join("nightly-Backup", "db_3.example", "2"))
        .isEqualTo("nightly-backup-db-3-example-2");
  }

  @Test
  void longNamesAreCutToALabelWithAStableHash() {
    String run = "a-very-long-run-name-that-someone-chose-for-a-nightly-database-backup";
    String first = KubeNames.join(run, "item-1234", "3");
    String again = KubeNames.join(run, "item-1234", "3");
    String other = KubeNames.join(run, "item-1235", "3");

    assertThat(first)
        .hasSizeLessThanOrEqualTo(KubeNames.MAX_LABEL_VALUE)
        .matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first).hasSameSizeAs(first);
  }

  @Test
  void theHashIsTheStartOfTheSha256SoNamesOutliveUpgrades() {
    assertThat(KubeNames.hash("uid-1/notready")).isEqualTo("7b24e490");
    assertThat(
            KubeNames.join(
                "a-very-long-run-name-that-someone-chose-for-a-nightly-database-backup",
                "item-1234",
                "3"))
        .isEqualTo("a-very-long-run-name-that-someone-chose-for-a-nightly-2594ea8d");
  }
}
