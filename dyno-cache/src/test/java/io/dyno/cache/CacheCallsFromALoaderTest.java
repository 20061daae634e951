package io.dyno.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What a key's computation does with calls made while it runs, made here from the loader itself so
 * that they fall inside the computation without a second thread: an invalidation drops its value
 * but not its readers' result, a put is replaced by it, and neither clean-up nor the size bound
 * removes the entry under it.
 */
class CacheCallsFromALoaderTest {

  private static final long MS = 1_000_000L;
  private final FakeTicker now = FakeTicker.create();
  private final AtomicInteger loads = new AtomicInteger();
  private final List<EvictionEvent<String, String>> events = new ArrayList<>();

  private Cache.Builder<String, String> builder() {
    return Cache.builder("calls")
        .ttl(Duration.ofSeconds(1))
        .ticker(now)
        .random(new FixedRandom(0.0)) // u = 1: XFetch never fires
        .<String, String>onEviction(events::add);
  }

  private String load(String key) {
    return key + "-" + loads.incrementAndGet();
  }

  /**
   * A loader that first makes {@code call} with its key, inside its own computation, then loads.
   */
  private Function<String, String> loaderThat(Consumer<String> call) {
    return key -> {
      call.accept(key);
      return load(key);
    };
  }

  @Test
  void invalidate_duringTheFirstComputation_returnsItsValue_butDoesNotStoreIt() {
    Cache<String, String> cache = builder().build();

    String value = cache.get("k", loaderThat(cache::invalidate));

    assertThat(value).isEqualTo("k-1");
    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(cache.size()).isZero();
    assertThat(cache.get("k", this::load)).isEqualTo("k-2");
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void invalidate_duringARecomputation_dropsTheOldValueAndTheNewOne() {
    Cache<String, String> cache = builder().build();
    cache.get("k", this::load);
    now.set(1000 * MS); // expired: the next read recomputes

    String value = cache.get("k", loaderThat(cache::invalidate));

    assertThat(value).isEqualTo("k-2");
    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(cache.size()).isZero();
    assertThat(cache.get("k", this::load)).isEqualTo("k-3");
  }

  @Test
  void invalidate_duringAnEarlyRecomputation_dropsBothValues_andIsNoEviction() {
    Cache<String, String> cache = builder().random(FixedRandom.withU(0.5)).build();
    cache.get(
        "k",
        key -> {
          now.advance(10 * MS);
          return load(key);
        });
    now.set(1010 * MS - MS); // within δ·ln 2 of expiry: the read recomputes early

    String value = cache.get("k", loaderThat(cache::invalidate));

    assertThat(value).isEqualTo("k-2");
    assertThat(cache.stats().earlyRecomputes()).isEqualTo(1);
    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(cache.size()).isZero();
    assertThat(events).isEmpty();
    assertThat(cache.stats().evictions()).isZero();
  }

  @Test
  void put_duringAComputation_isReplacedByTheComputedValue() {
    Cache<String, String> cache = builder().build();

    String value =
        cache.get(
            "k",
            loaderThat(
                key -> {
                  cache.put(key, "put");
                  assertThat(cache.getIfPresent(key)).isEqualTo("put");
                }));

    assertThat(value).isEqualTo("k-1");
    assertThat(cache.getIfPresent("k")).isEqualTo("k-1");
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void cleanUp_duringTheRecomputationOfAnExpiredKey_leavesItsEntry() {
    Cache<String, String> cache = builder().build();
    cache.get("k", this::load);
    cache.get("other", this::load);
    now.set(1000 * MS); // both expired

    String value = cache.get("k", loaderThat(key -> cache.cleanUp()));

    assertThat(value).isEqualTo("k-3");
    assertThat(events)
        .containsExactly(
            new EvictionEvent<>("calls", "other", "other-2", EvictionEvent.Cause.EXPIRED));
    assertThat(cache.getIfPresent("k")).isEqualTo("k-3");
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void theSizeBound_duringTheRecomputationOfAKey_evictsAnotherEntry() {
    Cache<String, String> cache = builder().maximumSize(2).build();
    cache.get("k", this::load);
    cache.get("a", this::load);
    now.set(1000 * MS); // both expired; "b" below is read more often than either

    String value =
        cache.get(
            "k",
            loaderThat(
                key -> {
                  for (int i = 0; i < 5; i++) {
                    cache.getIfPresent("b");
                  }
                  cache.get("b", this::load);
                }));

    assertThat(value).isEqualTo("k-4");
    assertThat(events)
        .extracting(EvictionEvent::key)
        .containsExactly("a"); // "k" was being computed, so "a" went
    assertThat(cache.getIfPresent("k")).isEqualTo("k-4");
    assertThat(cache.getIfPresent("b")).isEqualTo("b-3");
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void aLoader_mayReadOtherKeys() {
    Cache<String, String> cache = builder().build();

    String value = cache.get("outer", key -> key + "+" + cache.get("inner", this::load));

    assertThat(value).isEqualTo("outer+inner-1");
    assertThat(cache.getIfPresent("inner")).isEqualTo("inner-1");
    assertThat(cache.getIfPresent("outer")).isEqualTo("outer+inner-1");
    assertThat(cache.stats().loads()).isEqualTo(2);
    assertThat(cache.stats().misses()).isEqualTo(2);
  }
}
