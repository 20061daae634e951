package io.dyno.cache;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheBuilderTest {

  @Test
  void builder_rejectsABlankOrNullName() {
    assertThatThrownBy(() -> Cache.builder(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> Cache.builder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
  }

  @Test
  void ttl_mustBePositive() {
    assertThatThrownBy(() -> Cache.builder("c").ttl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ttl must be positive, was PT0S");
    assertThatThrownBy(() -> Cache.builder("c").ttl(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ttl must be positive, was PT-1S");
    assertThatThrownBy(() -> Cache.builder("c").ttl(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ttl must not be null");
  }

  @Test
  void build_withoutTtl_failsNamingTheCache() {
    assertThatThrownBy(() -> Cache.builder("c").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cache 'c': ttl must be set");
  }

  @Test
  void maximumSize_mustBeAtLeastOne() {
    assertThatThrownBy(() -> Cache.builder("c").maximumSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximumSize must be >= 1, was 0");
  }

  @Test
  void setters_rejectNullNamingTheParameter() {
    Cache.Builder<Object, Object> b = Cache.builder("c");
    assertThatThrownBy(() -> b.earlyRecompute(null)).hasMessage("earlyRecompute must not be null");
    assertThatThrownBy(() -> b.executor(null)).hasMessage("executor must not be null");
    assertThatThrownBy(() -> b.ticker(null)).hasMessage("ticker must not be null");
    assertThatThrownBy(() -> b.random(null)).hasMessage("random must not be null");
    assertThatThrownBy(() -> b.onEviction(null)).hasMessage("listener must not be null");
    assertThatThrownBy(
            () ->
                Cache.memoize(
                    "m", (java.util.function.Function<String, String>) null, Duration.ofSeconds(1)))
        .hasMessage("function must not be null");
    assertThatThrownBy(
            () ->
                Cache.memoize(
                    "m", (java.util.function.Supplier<String>) null, Duration.ofSeconds(1)))
        .hasMessage("supplier must not be null");
  }
}
