package io.dyno.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The examples of docs/cache.md, README.md and the javadoc, compiled and run. Each snippet in the
 * guide appears here line for line, which dyno-examples' documentation test verifies.
 */
class CacheExamplesTest {

  private static final Logger log = LoggerFactory.getLogger(CacheExamplesTest.class);

  /** A user id. */
  record UserId(long value) {}

  /** A user's profile. */
  record Profile(UserId id, String name) {}

  /** The configuration. */
  record Config(int version) {}

  private final AtomicInteger profileLoads = new AtomicInteger();
  private final AtomicInteger configLoads = new AtomicInteger();
  private final UserId id = new UserId(42);

  private Profile loadProfile(UserId id) {
    profileLoads.incrementAndGet();
    return new Profile(id, "user" + id.value());
  }

  private Config loadConfig() {
    return new Config(configLoads.incrementAndGet());
  }

  @Test
  void readme() {
    Cache<UserId, Profile> profiles =
        Cache.builder("profiles").ttl(Duration.ofMinutes(5)).maximumSize(10_000).build();
    Profile p = profiles.get(id, this::loadProfile); // one load per key, redone before expiry
    Function<UserId, Profile> cached =
        Cache.memoize("profiles", this::loadProfile, Duration.ofMinutes(5));

    assertThat(p.name()).isEqualTo("user42");
    assertThat(profiles.get(id, this::loadProfile)).isSameAs(p);
    assertThat(cached.apply(id)).isEqualTo(p);
  }

  @Test
  void quickStart() {
    Cache<UserId, Profile> profiles =
        Cache.builder("profiles")
            .ttl(Duration.ofMinutes(5))
            .earlyRecompute(EarlyRecompute.xfetch(1.0)) // the default
            .maximumSize(10_000)
            .build();
    Profile p = profiles.get(id, this::loadProfile);
    CacheStats s = profiles.stats(); // hits, misses, earlyRecomputes, loads, loadFailures, ...

    assertThat(p.id()).isEqualTo(id);
    assertThat(s.loads()).isEqualTo(1);
    assertThat(s.misses()).isEqualTo(1);
  }

  @Test
  void memoize() {
    Function<UserId, Profile> cached =
        Cache.memoize("profiles", this::loadProfile, Duration.ofMinutes(5));
    Supplier<Config> config = Cache.memoize("config", this::loadConfig, Duration.ofSeconds(30));

    assertThat(cached.apply(id)).isEqualTo(cached.apply(id));
    assertThat(profileLoads).hasValue(1);
    assertThat(config.get().version()).isEqualTo(1);
    assertThat(config.get().version()).isEqualTo(1);
  }

  @Test
  void everyOption() throws InterruptedException {
    ExecutorService background = Executors.newCachedThreadPool();
    Cache<UserId, Profile> profiles =
        Cache.builder("profiles")
            .ttl(Duration.ofMinutes(5))
            .earlyRecompute(EarlyRecompute.xfetch(1.0))
            .maximumSize(10_000)
            .executor(background) // early recomputations run here; the reader does not wait
            .ticker(System::nanoTime)
            .onEviction(e -> log.info("{} left the cache: {}", e.key(), e.cause()))
            .build();

    assertThat(profiles.get(id, this::loadProfile).id()).isEqualTo(id);
    assertThat(profiles.maximumSize()).contains(10_000L);
    background.shutdown();
    assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void strategies() {
    EarlyRecompute xfetch = EarlyRecompute.xfetch(1.0); // chance exp(-remaining / (δ·β))
    EarlyRecompute plain = EarlyRecompute.none(); // a plain time to live
    EarlyRecompute linear = EarlyRecompute.linear(); // chance age / ttl
    EarlyRecompute cubic = EarlyRecompute.exponential(3); // chance (age / ttl)^3

    Duration ttl = Duration.ofMinutes(5);
    Duration delta = Duration.ofMillis(100);
    Duration age = Duration.ofSeconds(150);
    assertThat(xfetch.chance(age, ttl, delta)).isLessThan(1e-100);
    assertThat(plain.chance(age, ttl, delta)).isZero();
    assertThat(linear.chance(age, ttl, delta)).isEqualTo(0.5);
    assertThat(cubic.chance(age, ttl, delta)).isEqualTo(0.125);
  }

  @Test
  void chanceTable_matchesTheGuide() {
    // docs/cache.md: ttl 5 min, δ = 100 ms; the chance per read against the time left.
    Duration ttl = Duration.ofMinutes(5);
    Duration delta = Duration.ofMillis(100);
    long[] remainingMillis = {1000, 500, 300, 200, 100, 50, 10, 0};
    double[] beta1 = {0.0000454, 0.00674, 0.0498, 0.135, 0.368, 0.607, 0.905, 0};
    double[] beta2 = {0.00674, 0.0821, 0.223, 0.368, 0.607, 0.779, 0.951, 0};
    for (int i = 0; i < remainingMillis.length; i++) {
      Duration age = ttl.minusMillis(remainingMillis[i]);
      assertThat(EarlyRecompute.xfetch(1.0).chance(age, ttl, delta))
          .isCloseTo(beta1[i], within(beta1[i] * 0.005 + 1e-9));
      assertThat(EarlyRecompute.xfetch(2.0).chance(age, ttl, delta))
          .isCloseTo(beta2[i], within(beta2[i] * 0.005 + 1e-9));
    }
  }

  @Test
  void testingWithFakeTime() {
    FakeTicker now = FakeTicker.create();
    Cache<String, String> cache =
        Cache.builder("test")
            .ttl(Duration.ofSeconds(1))
            .earlyRecompute(EarlyRecompute.none())
            .ticker(now)
            .build();
    cache.put("k", "v");
    now.advance(Duration.ofSeconds(1)); // expired: the next get computes again

    assertThat(cache.getIfPresent("k")).isNull();
  }
}
