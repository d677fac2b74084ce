package dev.drover.console.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.console.web.HttpError;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelMatchTest {
  private static final Map<String, String> WEB =
      Map.of("app", "web", "tier", "front", "env", "prod");

  @Test
  void equalityAndInequality() {
    assertThat(LabelMatch.parse("app=web").matches(WEB)).isTrue();
    assertThat(LabelMatch.parse("app==web,tier=front").matches(WEB)).isTrue();
    assertThat(LabelMatch.parse("app=db").matches(WEB)).isFalse();
    assertThat(LabelMatch.parse("app!=db").matches(WEB)).isTrue();
    assertThat(LabelMatch.parse("missing!=x").matches(WEB)).as("absent differs from x").isTrue();
  }

  @Test
  void setsAndExistence() {
    assertThat(LabelMatch.parse("env in (dev, prod)").matches(WEB)).isTrue();
    assertThat(LabelMatch.parse("env notin (prod)").matches(WEB)).isFalse();
    assertThat(LabelMatch.parse("env in (dev),app=web").matches(WEB)).isFalse();
    assertThat(LabelMatch.parse("tier").matches(WEB)).isTrue();
    assertThat(LabelMatch.parse("!tier").matches(WEB)).isFalse();
    assertThat(LabelMatch.parse("drover.dev/flow").matches(Map.of("drover.dev/flow", "x")))
        .isTrue();
  }

  @Test
  void somethingElseIsABadRequestSayingWhatASelectorLooksLike() {
    assertThatThrownBy(() -> LabelMatch.parse("app=web,=oops"))
        .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("is not a label selector: use key=value");
    assertThatThrownBy(() -> LabelMatch.parse("env in (a")).isInstanceOf(HttpError.class);
  }
}
