package io.dyno.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Writes and invalidations on one instance reach the memory tiers of the others. */
class RedisCacheChangesTest {

  @RegisterExtension static final RedisServer REDIS = RedisServer.perClass();

  private final List<RedisCache<String, String>> caches = new ArrayList<>();
  private RedisCache<String, String> a;
  private RedisCache<String, String> b;
  private final AtomicInteger loads = new AtomicInteger();

  @BeforeEach
  void twoInstances() {
    a = instance("shared");
    b = instance("shared");
  }

  @AfterEach
  void closeAll() {
    caches.forEach(RedisCache::close);
  }

  private RedisCache<String, String> instance(String name) {
    RedisCache<String, String> cache =
        RedisCache.builder(name)
            .redis(REDIS.uri())
            .commandTimeout(RedisServer.PATIENT)
            .values(ValueCodec.string())
            .ttl(Duration.ofMinutes(5))
            .random(FixedRandom.neverEarly())
            .build();
    caches.add(cache);
    return cache;
  }

  private String load(String key) {
    loads.incrementAndGet();
    return "loaded " + key;
  }

  /** A latch that opens when {@code cache} has applied {@code count} announcements. */
  private static CountDownLatch announcements(RedisCache<String, String> cache, int count) {
    CountDownLatch latch = new CountDownLatch(count);
    cache.onChange(latch::countDown);
    return latch;
  }

  @Test
  void aPut_replacesTheValueInTheOtherInstancesMemory() throws InterruptedException {
    assertThat(b.get("k", this::load)).isEqualTo("loaded k");
    assertThat(b.get("k", this::load)).isEqualTo("loaded k");
    assertThat(b.stats().memoryHits()).isEqualTo(1);
    CountDownLatch seen = announcements(b, 1);

    a.put("k", "written by a");

    assertThat(seen.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(b.get("k", this::load))
        .as("read again from Redis behind the readers, who kept the live copy meanwhile")
        .isEqualTo("written by a");
    assertThat(b.stats().memoryHits()).isEqualTo(2);
    assertThat(b.stats().redisHits()).isZero();
    assertThat(loads).hasValue(1);
  }

  @Test
  void aPutOfAKeyNotLiveInMemory_dropsIt_andTheNextReadGoesToRedis() throws InterruptedException {
    CountDownLatch seen = announcements(b, 1);

    a.put("k", "written by a");

    assertThat(seen.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(b.get("k", this::load)).isEqualTo("written by a");
    assertThat(b.stats().redisHits()).isEqualTo(1);
    assertThat(loads).hasValue(0);
  }

  @Test
  void aPutThenAnInvalidation_leaveNoCopyInTheOtherInstancesMemory() throws InterruptedException {
    assertThat(b.get("k", this::load)).isEqualTo("loaded k");
    CountDownLatch seen = announcements(b, 2);

    a.put("k", "written by a");
    a.invalidate("k");

    assertThat(seen.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(b.getIfPresent("k")).isNull();
  }

  @Test
  void anInvalidation_removesTheKeyFromTheOtherInstancesMemory_andFromRedis()
      throws InterruptedException {
    CountDownLatch seen = announcements(b, 2); // the put, then the invalidation
    a.put("k", "v");
    assertThat(b.get("k", this::load)).isEqualTo("v");

    a.invalidate("k");

    assertThat(seen.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(b.getIfPresent("k")).isNull();
    assertThat(b.get("k", this::load)).isEqualTo("loaded k");
    assertThat(loads).hasValue(1);
  }

  @Test
  void invalidateAll_removesThisCachesKeys_everywhere_andNoOtherCachesKeys()
      throws InterruptedException {
    RedisCache<String, String> other = instance("other");
    other.put("k", "kept");
    CountDownLatch seen = announcements(b, 3); // two puts, then the invalidation
    a.put("k1", "v1");
    a.put("k2", "v2");
    assertThat(b.get("k1", this::load)).isEqualTo("v1");

    a.invalidateAll();

    assertThat(seen.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(b.getIfPresent("k1")).isNull();
    assertThat(a.getIfPresent("k2")).isNull();
    assertThat(REDIS.commands().keys("dyno:shared:*")).isEmpty();
    assertThat(other.getIfPresent("k")).isEqualTo("kept");
  }

  @Test
  void aNameWithGlobCharacters_invalidatesOnlyItsOwnKeys() {
    RedisCache<String, String> star = instance("a*");
    RedisCache<String, String> plain = instance("ab");
    star.put("k", "v");
    plain.put("k", "kept");

    star.invalidateAll();

    assertThat(REDIS.commands().keys("dyno:*")).containsExactly("dyno:ab:k");
  }

  @Test
  void anInstanceIgnoresItsOwnAnnouncements_andKeepsWhatItWrote() throws InterruptedException {
    CountDownLatch seenByB = announcements(b, 1);
    a.put("k", "v");
    assertThat(seenByB.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(a.get("k", this::load)).isEqualTo("v");
    assertThat(a.stats().memoryHits()).isEqualTo(1);
  }

  @Test
  void anUnreadableAnnouncement_isIgnored() throws InterruptedException {
    CountDownLatch seen = announcements(b, 2);
    a.put("k", "v");
    REDIS.commands().publish("dyno:shared:changes", "garbage");
    a.put("k2", "v2"); // announcements arrive in order: the latch opens after the garbage
    assertThat(seen.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(b.get("k", this::load)).isEqualTo("v");
    assertThat(b.get("k2", this::load)).isEqualTo("v2");
    assertThat(loads).hasValue(0);
  }

  @Test
  void anInstanceIsToldOnlyOfTheOthersChanges() throws InterruptedException {
    AtomicInteger toldA = new AtomicInteger();
    a.onChange(toldA::incrementAndGet);
    CountDownLatch fromB = announcements(a, 1);
    a.put("mine", "v");
    b.put("theirs", "v");
    assertThat(fromB.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(toldA).hasValue(1);
  }
}
