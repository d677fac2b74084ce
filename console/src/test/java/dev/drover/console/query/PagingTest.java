package dev.drover.console.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.console.web.HttpError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PagingTest {
  /** Items whose key is their name alone: the list is in name order. */
  private static SortKey key(String item) {
    return new SortKey("", "", item);
  }

  private static final List<String> HUNDRED_AND_TWENTY =
      IntStream.range(0, 120).mapToObj(i -> String.format("item-%03d", i)).toList();

  @Test
  void fiftyAtATimeByDefaultAndEachPageContinuesAfterTheLastItemOfThePrevious() {
    var first = Paging.of(Map.of()).of(HUNDRED_AND_TWENTY, PagingTest::key);
    var second =
        Paging.of(Map.of("continue", first.next())).of(HUNDRED_AND_TWENTY, PagingTest::key);
    var third =
        Paging.of(Map.of("continue", second.next())).of(HUNDRED_AND_TWENTY, PagingTest::key);

    assertThat(first.items()).hasSize(50).startsWith("item-000").endsWith("item-049");
    assertThat(first.total()).isEqualTo(120);
    assertThat(second.items()).startsWith("item-050");
    assertThat(third.items()).hasSize(20).startsWith("item-100");
    assertThat(third.next()).isNull();
  }

  @Test
  void itemsAddedBeforeThePageDoNotShiftTheNextOne() {
    var first = Paging.of(Map.of("limit", "10")).of(HUNDRED_AND_TWENTY, PagingTest::key);
    List<String> withEarlierItems = new ArrayList<>(List.of("item-000a", "item-000b"));
    withEarlierItems.addAll(HUNDRED_AND_TWENTY);
    withEarlierItems.sort(String::compareTo);

    var second =
        Paging.of(Map.of("limit", "10", "continue", first.next()))
            .of(withEarlierItems, PagingTest::key);

    assertThat(second.items()).startsWith("item-010");
  }

  @Test
  void limitsOutsideOneToFiveHundredNonNumbersAndForeignContinueValuesAreRefused() {
    assertThatThrownBy(() -> Paging.of(Map.of("limit", "0"))).isInstanceOf(HttpError.class);
    assertThatThrownBy(() -> Paging.of(Map.of("limit", "501")))
        .hasMessage("limit must be between 1 and 500, got 501");
    assertThatThrownBy(() -> Paging.of(Map.of("limit", "ten")))
        .hasMessage("limit must be a whole number, got \"ten\"");
    assertThatThrownBy(() -> Paging.of(Map.of("continue", "50")))
        .hasMessage("continue must be the value a previous page returned, got \"50\"");
  }
}
