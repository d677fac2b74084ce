package dev.drover.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HashesTest {
  @Test
  void sha256IsTheStandardDigestOfTheUtf8Bytes() {
    assertThat(HexFormat.of().formatHex(Hashes.sha256("abc")))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
