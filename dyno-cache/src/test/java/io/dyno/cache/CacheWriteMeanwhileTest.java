package io.dyno.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * A write or an invalidation of a key that lands while a reader or a writer of the same key is
 * between two steps: the reader must serve the newer value rather than compute, the writer must
 * still store its value, an invalidation must hide the old value at once. The other party acts at
 * the ticker read (or the random draw) that sits between the two steps, on the same thread, so the
 * interleaving is exact and no test needs a second thread.
 */
class CacheWriteMeanwhileTest {

  private static final long MS = 1_000_000L;
  private final HookedTicker ticker = new HookedTicker();
  private final AtomicInteger loads = new AtomicInteger();

  private String load(String key) {
    return key + "-" + loads.incrementAndGet();
  }

  private Cache.Builder<Object, Object> builder() {
    return Cache.builder("meanwhile")
        .ttl(Duration.ofSeconds(1))
        .ticker(ticker)
        .random(new FixedRandom(0.0)); // u = 1: XFetch never fires
  }

  @Test
  void aValueStoredAsTheReaderFindsTheOldOneExpired_isServed_andNothingIsComputed() {
    Cache<String, String> cache = builder().build();
    cache.get("k", this::load);
    ticker.now.set(1000 * MS); // expired
    ticker.onRead(1, () -> cache.put("k", "put")); // the read that finds the value expired

    assertThat(cache.get("k", this::load)).isEqualTo("put");

    assertThat(loads).hasValue(1);
    assertThat(cache.stats().misses()).isEqualTo(2);
  }

  @Test
  void aValueStoredJustBeforeTheReaderClaimsTheKey_isServed_andTheKeyIsLeftFree() {
    Cache<String, String> cache = builder().build();
    cache.get("k", this::load);
    ticker.now.set(1000 * MS); // expired
    ticker.onRead(2, () -> cache.put("k", "put")); // the read just before the claim

    assertThat(cache.get("k", this::load)).isEqualTo("put");

    assertThat(loads).hasValue(1);
    assertThat(cache.getIfPresent("k")).isEqualTo("put");
    ticker.now.set(2000 * MS); // the put value expired: the next read computes
    assertThat(cache.get("k", this::load)).isEqualTo("k-2");
    assertThat(cache.stats().loads()).isEqualTo(2);
  }

  @Test
  void aValueStoredJustBeforeTheClaim_thatExpiredSince_isComputedAfresh() {
    Cache<String, String> cache = builder().build();
    cache.get("k", this::load);
    ticker.now.set(1000 * MS); // expired
    ticker.onRead(
        2,
        () -> {
          cache.put("k", "put");
          ticker.now.advance(1000 * MS); // the put value expires as the reader claims the key
        });

    assertThat(cache.get("k", this::load)).isEqualTo("k-2");

    assertThat(cache.getIfPresent("k")).isEqualTo("k-2");
  }

  @Test
  void aValueStoredAsAReadDecidesToRecomputeEarly_isServed_insteadOfRecomputing() {
    AtomicReference<Runnable> onDraw = new AtomicReference<>();
    RandomGenerator random =
        new RandomGenerator() {
          @Override
          public double nextDouble() {
            Runnable hook = onDraw.getAndSet(null);
            if (hook != null) {
              hook.run();
            }
            return 0.0; // linear: fires at any age above 0
          }

          @Override
          public long nextLong() {
            throw new UnsupportedOperationException("only nextDouble is used");
          }
        };
    Cache<String, String> cache =
        builder().earlyRecompute(EarlyRecompute.linear()).random(random).build();
    cache.get("k", this::load);
    ticker.now.set(500 * MS);
    onDraw.set(() -> cache.put("k", "put"));

    assertThat(cache.get("k", this::load)).isEqualTo("put");

    assertThat(loads).hasValue(1);
    assertThat(cache.stats().earlyRecomputes()).isZero();
    assertThat(cache.getIfPresent("k")).isEqualTo("put");
  }

  @Test
  void put_whileTheKeyIsInvalidated_stillStoresItsValue() {
    Cache<String, String> cache = builder().build();
    cache.put("k", "old");
    ticker.onRead(1, () -> cache.invalidate("k")); // after put found the key's entry

    cache.put("k", "new");

    assertThat(cache.getIfPresent("k")).isEqualTo("new");
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void invalidate_duringAnEarlyRecomputation_hidesTheOldValueAtOnce() {
    Cache<String, String> cache =
        builder().earlyRecompute(EarlyRecompute.linear()).random(new FixedRandom(0.0)).build();
    cache.get("k", this::load);
    ticker.now.set(500 * MS);
    AtomicReference<String> seenAfterInvalidate = new AtomicReference<>("not read");

    String value =
        cache.get(
            "k",
            key -> {
              cache.invalidate(key);
              seenAfterInvalidate.set(cache.getIfPresent(key));
              return load(key);
            });

    assertThat(value).isEqualTo("k-2");
    assertThat(seenAfterInvalidate.get()).isNull();
    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(cache.size()).isZero();
  }

  /**
   * A ticker at a time the test sets, which runs an action, once, at its n-th read from now: a race
   * instrument, whose time is a {@link FakeTicker}'s.
   */
  private static final class HookedTicker implements LongSupplier {
    final FakeTicker now = FakeTicker.create();
    private int readsLeft;
    private Runnable hook;

    void onRead(int n, Runnable action) {
      readsLeft = n;
      hook = action;
    }

    @Override
    public long getAsLong() {
      Runnable h = hook;
      if (h != null && --readsLeft == 0) {
        hook = null;
        h.run();
      }
      return now.read();
    }
  }
}
