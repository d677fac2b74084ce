package dev.drover.console.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.console.web.HttpError;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PagingTest {
  private static final List<Integer> HUNDRED_AND_TWENTY = IntStream.range(0, 120).boxed().toList();

  @Test
  void fiftyAtATimeByDefaultAndContinueFromWherePagesEnd() {
    var first = Paging.of(Map.of()).of(HUNDRED_AND_TWENTY);
    var third = Paging.of(Map.of("continue", "100")).of(HUNDRED_AND_TWENTY);

    assertThat(first.items()).hasSize(50).startsWith(0).endsWith(49);
    assertThat(first.next()).isEqualTo("50");
    assertThat(first.total()).isEqualTo(120);
    assertThat(third.items()).hasSize(20).startsWith(100);
    assertThat(third.next()).isNull();
  }

  @Test
  void aPagePastTheEndIsEmpty() {
    assertThat(Paging.of(Map.of("continue", "500")).of(HUNDRED_AND_TWENTY).items()).isEmpty();
  }

  @Test
  void limitsOutsideOneToFiveHundredAndNonNumbersAreRefused() {
    assertThatThrownBy(() -> Paging.of(Map.of("limit", "0"))).isInstanceOf(HttpError.class);
    assertThatThrownBy(() -> Paging.of(Map.of("limit", "501")))
        .hasMessage("limit must be between 1 and 500, got 501");
    assertThatThrownBy(() -> Paging.of(Map.of("continue", "abc")))
        .hasMessage("continue must be a whole number, got \"abc\"");
  }
}
