package io.dyno.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeTicker;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CacheTest {

  private static final long MS = 1_000_000L;
  private final FakeTicker now = FakeTicker.create();
  private final AtomicInteger loads = new AtomicInteger();

  private String load(String key) {
    return key + "-" + loads.incrementAndGet();
  }

  private String slowLoad(String key) {
    now.advance(10 * MS);
    return load(key);
  }

  private Cache.Builder<Object, Object> builder() {
    return Cache.builder("test")
        .ttl(Duration.ofSeconds(1))
        .ticker(now)
        .random(new FixedRandom(0.0)); // u = 1: XFetch never fires
  }

  @Test
  void get_computesOnce_andServesTheValueUntilItExpires() {
    Cache<String, String> cache = builder().build();
    assertThat(cache.get("a", this::load)).isEqualTo("a-1");
    now.set(1000 * MS - 1);
    assertThat(cache.get("a", this::load)).isEqualTo("a-1");
    now.set(1000 * MS);
    assertThat(cache.get("a", this::load)).isEqualTo("a-2");
    assertThat(cache.stats()).isEqualTo(new CacheStats(1, 2, 0, 2, 0, 0));
    assertThat(cache.stats().hitRate()).isEqualTo(1 / 3.0);
  }

  @Test
  void getIfPresent_returnsOnlyLiveValues_andNeverComputes() {
    Cache<String, String> cache = builder().build();
    assertThat(cache.getIfPresent("a")).isNull();
    cache.put("a", "x");
    assertThat(cache.getIfPresent("a")).isEqualTo("x");
    now.set(1000 * MS);
    assertThat(cache.getIfPresent("a")).isNull();
    assertThat(loads).hasValue(0);
    assertThat(cache.stats().hits()).isEqualTo(1);
    assertThat(cache.stats().misses()).isEqualTo(2);
  }

  @Test
  void put_replacesTheValue_andKeepsTheDeltaOfTheValueItReplaces() {
    FixedRandom random = FixedRandom.withU(0.5);
    Cache<String, String> cache = builder().random(random).build();
    cache.get("a", this::slowLoad); // δ = 10 ms, loaded at 10 ms
    now.set(20 * MS);
    cache.put("a", "put");
    assertThat(cache.get("a", this::slowLoad)).isEqualTo("put");
    now.set(20 * MS + 1000 * MS - 6_931_471); // inside δ·ln 2 of the put value's expiry
    assertThat(cache.get("a", this::slowLoad)).isEqualTo("a-2");
  }

  @Test
  void put_ofAValueNeverComputed_isNotRecomputedEarly() {
    FixedRandom random = new FixedRandom(Math.nextDown(1.0));
    Cache<String, String> cache = builder().random(random).build();
    cache.put("a", "put");
    now.set(1000 * MS - 1);
    assertThat(cache.get("a", this::load)).isEqualTo("put");
    assertThat(random.draws()).isZero();
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void invalidate_removesOneEntry_andInvalidateAllRemovesEvery() {
    Cache<String, String> cache = builder().build();
    cache.get("a", this::load);
    cache.get("b", this::load);
    cache.get("c", this::load);
    cache.invalidate("a");
    cache.invalidate("missing");
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get("a", this::load)).isEqualTo("a-4");
    cache.invalidateAll();
    assertThat(cache.size()).isZero();
    assertThat(cache.getIfPresent("b")).isNull();
    assertThat(cache.stats().evictions()).isZero();
  }

  @Test
  void get_whenTheLoaderFails_throwsTheSameInstance_andCachesNothing() {
    Cache<String, String> cache = builder().build();
    IllegalStateException boom = new IllegalStateException("boom");
    assertThatThrownBy(
            () ->
                cache.get(
                    "a",
                    k -> {
                      throw boom;
                    }))
        .isSameAs(boom);
    assertThat(cache.size()).isZero();
    assertThat(cache.get("a", this::load)).isEqualTo("a-1");
    assertThat(cache.stats().loadFailures()).isEqualTo(1);
    assertThat(cache.stats().loads()).isEqualTo(2);
  }

  @Test
  void get_whenTheLoaderThrowsAnError_rethrowsIt() {
    Cache<String, String> cache = builder().build();
    StackOverflowError error = new StackOverflowError("deep");
    assertThatThrownBy(
            () ->
                cache.get(
                    "a",
                    k -> {
                      throw error;
                    }))
        .isSameAs(error);
    assertThat(cache.get("a", this::load)).isEqualTo("a-1");
  }

  @Test
  void get_whenTheLoaderSneaksACheckedException_wrapsIt() {
    Cache<String, String> cache = builder().build();
    Exception checked = new Exception("checked");
    assertThatThrownBy(() -> cache.get("a", k -> CacheTest.<RuntimeException>sneaky(checked)))
        .isInstanceOf(UndeclaredThrowableException.class)
        .hasCause(checked);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> String sneaky(Throwable t) throws E {
    throw (E) t;
  }

  @Test
  void get_whenTheLoaderReturnsNull_failsNamingTheCacheAndTheKey_andStoresNothing() {
    Cache<String, String> cache = builder().build();
    assertThatThrownBy(() -> cache.get("a", k -> null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("loader of cache 'test' returned null for key a");
    assertThat(cache.size()).isZero();
    assertThat(cache.getIfPresent("a")).isNull();

    Cache<Integer, String> prices = Cache.builder("prices").ttl(Duration.ofMinutes(1)).build();
    assertThatThrownBy(() -> prices.get(42, k -> null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("loader of cache 'prices' returned null for key 42");
  }

  @Test
  void memoized_whenTheFunctionOrSupplierReturnsNull_failsNamingTheCache() {
    Function<Integer, String> function = Cache.memoize("prices", k -> null, Duration.ofMinutes(1));
    assertThatThrownBy(() -> function.apply(42))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("loader of cache 'prices' returned null for key 42");
    Supplier<String> supplier = Cache.memoize("rate", () -> null, Duration.ofMinutes(1));
    assertThatThrownBy(supplier::get)
        .isInstanceOf(NullPointerException.class)
        .hasMessage("supplier of cache 'rate' returned null");
  }

  @Test
  void calls_rejectNullArgumentsNamingTheParameter() {
    Cache<String, String> cache = builder().build();
    assertThatThrownBy(() -> cache.get(null, this::load))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("key must not be null");
    assertThatThrownBy(() -> cache.get("a", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("loader must not be null");
    assertThatThrownBy(() -> cache.put("a", null)).hasMessage("value must not be null");
    assertThatThrownBy(() -> cache.put(null, "v")).hasMessage("key must not be null");
    assertThatThrownBy(() -> cache.getIfPresent(null)).hasMessage("key must not be null");
    assertThatThrownBy(() -> cache.invalidate(null)).hasMessage("key must not be null");
    assertThat(cache.size()).isZero();
  }

  @Test
  void earlyRecompute_onTheReadingThread_returnsTheNewValue() {
    FixedRandom random = FixedRandom.withU(0.5);
    Cache<String, String> cache = builder().random(random).build();
    cache.get("a", this::slowLoad);
    now.set(1010 * MS - MS);
    assertThat(cache.get("a", this::slowLoad)).isEqualTo("a-2");
    assertThat(cache.stats().earlyRecomputes()).isEqualTo(1);
  }

  @Test
  void earlyRecompute_onAnExecutor_returnsTheCurrentValueAtOnce() {
    List<Runnable> queued = new ArrayList<>();
    Cache<String, String> cache =
        builder().random(FixedRandom.withU(0.5)).executor(queued::add).build();
    cache.get("a", this::slowLoad);
    now.set(1010 * MS - MS);
    assertThat(cache.get("a", this::slowLoad)).isEqualTo("a-1");
    assertThat(cache.get("a", this::slowLoad)).isEqualTo("a-1"); // no second recomputation
    assertThat(queued).hasSize(1);
    queued.get(0).run();
    assertThat(cache.get("a", this::slowLoad)).isEqualTo("a-2");
    assertThat(cache.stats().earlyRecomputes()).isEqualTo(1);
  }

  @Test
  void earlyRecompute_thatFails_keepsTheOldValueUntilExpiry_andIsCounted() {
    FixedRandom random = FixedRandom.withU(0.5);
    Cache<String, String> cache = builder().random(random).build();
    cache.get("a", this::slowLoad);
    Function<String, String> failing =
        k -> {
          throw new IllegalStateException("down");
        };
    now.set(1010 * MS - MS);
    assertThat(cache.get("a", failing)).isEqualTo("a-1");
    assertThat(cache.get("a", failing)).isEqualTo("a-1");
    assertThat(cache.stats().loadFailures()).isEqualTo(2);
    now.set(1010 * MS);
    assertThatThrownBy(() -> cache.get("a", failing)).hasMessage("down");
    assertThat(cache.get("a", this::load)).isEqualTo("a-2");
  }

  @Test
  void earlyRecompute_thatThrowsAnError_rethrowsItToTheReader() {
    Cache<String, String> cache = builder().random(FixedRandom.withU(0.5)).build();
    cache.get("a", this::slowLoad);
    now.set(1010 * MS - MS);
    OutOfMemoryError error = new OutOfMemoryError("test");
    assertThatThrownBy(
            () ->
                cache.get(
                    "a",
                    k -> {
                      throw error;
                    }))
        .isSameAs(error);
    assertThat(cache.getIfPresent("a")).isEqualTo("a-1");
  }

  @Test
  void earlyRecompute_onAnExecutorThatFails_keepsTheOldValue() {
    List<Runnable> queued = new ArrayList<>();
    Cache<String, String> cache =
        builder().random(FixedRandom.withU(0.5)).executor(queued::add).build();
    cache.get("a", this::slowLoad);
    now.set(1010 * MS - MS);
    cache.get(
        "a",
        k -> {
          throw new IllegalStateException("down");
        });
    queued.get(0).run();
    assertThat(cache.get("a", this::load)).isEqualTo("a-1");
    assertThat(cache.stats().loadFailures()).isEqualTo(1);
  }

  @Test
  void earlyRecompute_refusedByTheExecutor_servesTheCurrentValue_andCountsAFailure() {
    Cache<String, String> cache =
        builder()
            .random(FixedRandom.withU(0.5))
            .executor(
                r -> {
                  throw new RejectedExecutionException("full");
                })
            .build();
    cache.get("a", this::slowLoad);
    now.set(1010 * MS - MS);
    assertThat(cache.get("a", this::slowLoad)).isEqualTo("a-1");
    assertThat(cache.stats().loadFailures()).isEqualTo(1);
    assertThat(cache.get("a", this::slowLoad)).isEqualTo("a-1"); // the key is free again
    assertThat(cache.stats().earlyRecomputes()).isEqualTo(2);
  }

  @Test
  void memoize_function_cachesPerArgument() {
    Function<String, String> cached = Cache.memoize("m", this::load, Duration.ofMinutes(1));
    assertThat(cached.apply("a")).isEqualTo("a-1");
    assertThat(cached.apply("a")).isEqualTo("a-1");
    assertThat(cached.apply("b")).isEqualTo("b-2");
  }

  @Test
  void memoize_supplier_cachesTheOneValue() {
    Supplier<Integer> cached = Cache.memoize("m", loads::incrementAndGet, Duration.ofMinutes(1));
    assertThat(cached.get()).isEqualTo(1);
    assertThat(cached.get()).isEqualTo(1);
  }

  @Test
  void accessors_andToString_describeTheConfiguration() {
    Cache<String, String> cache =
        builder().earlyRecompute(EarlyRecompute.linear()).maximumSize(5).build();
    assertThat(cache.name()).isEqualTo("test");
    assertThat(cache.ttl()).isEqualTo(Duration.ofSeconds(1));
    assertThat(cache.earlyRecompute()).isEqualTo(EarlyRecompute.linear());
    assertThat(cache.maximumSize()).contains(5L);
    assertThat(builder().build().maximumSize()).isEmpty();
    assertThat(cache)
        .hasToString(
            "Cache[name=test, ttl=1.00 s, earlyRecompute=linear(), maximumSize=5, size=0]");
    assertThat(builder().build())
        .hasToString("Cache[name=test, ttl=1.00 s, earlyRecompute=xfetch(1.0), size=0]");
  }

  @Test
  void aHugeTtl_neverExpires() {
    Cache<String, String> cache =
        Cache.builder("long").ttl(Duration.ofSeconds(Long.MAX_VALUE)).ticker(now).build();
    cache.get("a", this::load);
    now.set(Long.MAX_VALUE / 8);
    assertThat(cache.get("a", this::load)).isEqualTo("a-1");
  }
}
