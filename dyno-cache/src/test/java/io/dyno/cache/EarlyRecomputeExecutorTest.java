package io.dyno.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Early recomputations handed to an executor: the triggering reader returns the current value, an
 * executor that runs the task at once stores the new value before the next read, and one that fails
 * frees the key; an {@link Error} is never swallowed.
 */
class EarlyRecomputeExecutorTest {

  private static final long MS = 1_000_000L;
  private final FakeTicker now = FakeTicker.create();
  private final AtomicInteger loads = new AtomicInteger();

  private String load(String key) {
    return key + "-" + loads.incrementAndGet();
  }

  /** A cache with "a" loaded (δ = 10 ms) and the ticker within δ·ln 2 of its expiry. */
  private Cache<String, String> dueForEarlyRecompute(Executor executor) {
    Cache<String, String> cache =
        Cache.builder("executor")
            .ttl(Duration.ofSeconds(1))
            .ticker(now)
            .random(FixedRandom.withU(0.5))
            .executor(executor)
            .build();
    cache.get(
        "a",
        key -> {
          now.advance(10 * MS);
          return load(key);
        });
    now.set(1010 * MS - MS);
    return cache;
  }

  @Test
  void anExecutorThatRunsTheTaskAtOnce_servesTheCurrentValue_thenTheNewOne() {
    Cache<String, String> cache = dueForEarlyRecompute(Runnable::run);

    assertThat(cache.get("a", this::load)).isEqualTo("a-1");

    assertThat(cache.getIfPresent("a")).isEqualTo("a-2");
    assertThat(cache.stats()).isEqualTo(new CacheStats(2, 1, 1, 2, 0, 0));
  }

  @Test
  void aRecomputationThatFailsOnTheExecutor_keepsTheOldValue_andFreesTheKey() {
    Cache<String, String> cache = dueForEarlyRecompute(Runnable::run);
    Function<String, String> failing =
        key -> {
          throw new IllegalStateException("down");
        };

    assertThat(cache.get("a", failing)).isEqualTo("a-1");
    assertThat(cache.get("a", failing)).isEqualTo("a-1");

    assertThat(cache.stats().earlyRecomputes()).isEqualTo(2);
    assertThat(cache.stats().loadFailures()).isEqualTo(2);
    assertThat(cache.get("a", this::load)).isEqualTo("a-1");
    assertThat(cache.getIfPresent("a")).isEqualTo("a-2");
  }

  @Test
  void anErrorFromTheLoaderOnTheExecutor_reachesTheExecutorsThread() {
    Cache<String, String> cache = dueForEarlyRecompute(Runnable::run); // the reader's own thread
    StackOverflowError error = new StackOverflowError("deep");

    assertThatThrownBy(
            () ->
                cache.get(
                    "a",
                    key -> {
                      throw error;
                    }))
        .isSameAs(error);

    assertThat(cache.stats().loadFailures()).isEqualTo(1);
    assertThat(cache.getIfPresent("a")).isEqualTo("a-1");
    assertThat(cache.get("a", this::load)).isEqualTo("a-1");
    assertThat(cache.getIfPresent("a")).isEqualTo("a-2");
  }

  @Test
  void anErrorFromTheExecutor_isRethrown_onceTheKeyIsFreed() {
    AtomicInteger calls = new AtomicInteger();
    List<Runnable> accepted = new ArrayList<>();
    OutOfMemoryError error = new OutOfMemoryError("no thread");
    Cache<String, String> cache =
        dueForEarlyRecompute(
            task -> {
              if (calls.incrementAndGet() == 1) {
                throw error;
              }
              accepted.add(task);
            });

    assertThatThrownBy(() -> cache.get("a", this::load)).isSameAs(error);

    assertThat(cache.stats().loadFailures()).isEqualTo(1);
    assertThat(cache.getIfPresent("a")).isEqualTo("a-1");
    assertThat(cache.get("a", this::load)).isEqualTo("a-1"); // the key is free: a second try
    assertThat(accepted).hasSize(1);
    accepted.get(0).run();
    assertThat(cache.getIfPresent("a")).isEqualTo("a-2");
    assertThat(cache.stats().earlyRecomputes()).isEqualTo(2);
  }

  @Test
  void aTaskRunTwice_computesOnce() {
    List<Runnable> accepted = new ArrayList<>();
    Cache<String, String> cache = dueForEarlyRecompute(accepted::add);
    cache.get("a", this::load);

    accepted.get(0).run();
    accepted.get(0).run();

    assertThat(loads).hasValue(2);
    assertThat(cache.getIfPresent("a")).isEqualTo("a-2");
  }

  @Test
  void aReaderPastTheHardExpiry_takesOverTheUnstartedTask_andTheTaskDoesNothing() {
    List<Runnable> accepted = new ArrayList<>();
    Cache<String, String> cache = dueForEarlyRecompute(accepted::add);
    cache.get("a", this::load);
    now.set(1010 * MS);

    assertThat(cache.get("a", this::load)).isEqualTo("a-2");
    accepted.get(0).run();

    assertThat(loads).hasValue(2);
    assertThat(cache.getIfPresent("a")).isEqualTo("a-2");
    assertThat(cache.stats().misses()).isEqualTo(2);
  }
}
