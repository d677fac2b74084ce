package dev.drover.console.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsrfTest {
  private static Caller holding(String token) {
    return new Caller("someone", null, List.of(), Map.of(), token, true);
  }

  @Test
  void aTokenMatchesItsOwnCallerOnly() {
    Csrf csrf = new Csrf();
    String aliceToken = csrf.tokenFor(holding("alice"));

    assertThat(csrf.matches(holding("alice"), aliceToken)).isTrue();
    assertThat(csrf.matches(holding("bob"), aliceToken)).isFalse();
    assertThat(csrf.matches(holding("alice"), null)).isFalse();
  }

  @Test
  void anotherProcessDrawsAnotherKey() {
    assertThat(new Csrf().matches(holding("alice"), new Csrf().tokenFor(holding("alice"))))
        .isFalse();
  }
}
