package io.dyno.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.cache.redis.examples.Prices;
import io.dyno.cache.redis.examples.Profiles;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The examples of docs/cache.md's section on the Redis tier, run against a real Redis: {@link
 * Prices} and {@link Profiles} appear in the guide line for line, which dyno-examples'
 * documentation test verifies.
 */
class RedisCacheExamplesTest {

  @RegisterExtension static final RedisServer REDIS = RedisServer.perClass();

  @BeforeEach
  void pointTheExamplesAtTheTestsRedis() {
    System.setProperty("redis.uri", REDIS.uri());
  }

  @AfterEach
  void forgetIt() {
    System.clearProperty("redis.uri");
  }

  @Test
  void prices_areComputedOnce_andAPriceChangeReachesEveryInstance() {
    try (Prices a = new Prices();
        Prices b = new Prices()) {
      assertThat(a.price("sku-1")).isEqualTo("19.99");
      assertThat(b.price("sku-1")).isEqualTo("19.99");
      a.priceChanged("sku-1", "17.50");
      assertThat(b.price("sku-1")).isIn("17.50", "19.99");
      assertThat(a.price("sku-1")).isEqualTo("17.50");
    }
  }

  @Test
  void profiles_takeEveryOption_andRoundTripThroughRedis() {
    try (Profiles profiles = new Profiles()) {
      assertThat(profiles.profile(7)).isEqualTo(new Profiles.Profile(7, "user7"));
      assertThat(profiles.stats().loads()).isEqualTo(1);
      assertThat(REDIS.commands().exists("dyno:profiles:7")).isEqualTo(1);
    }
    try (Profiles another = new Profiles()) {
      assertThat(another.profile(7)).isEqualTo(new Profiles.Profile(7, "user7"));
      assertThat(another.stats().redisHits()).isEqualTo(1);
      assertThat(another.stats().loads()).isZero();
    }
  }

  @Test
  void theBadInputMessages_ofTheGuide() {
    assertThatThrownBy(() -> RedisCache.builder("prices").redis("localhost:6379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("uri must be redis://host:port[/db], was 'localhost:6379'");
    assertThatThrownBy(
            () ->
                RedisCache.builder("prices").redis(REDIS.uri()).ttl(Duration.ofMinutes(5)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("RedisCache 'prices': values(codec) must be set");
    try (RedisCache<String, String> small =
        RedisCache.builder("prices")
            .redis(REDIS.uri())
            .values(ValueCodec.string())
            .ttl(Duration.ofMinutes(5))
            .maxValueBytes(4)
            .build()) {
      assertThatThrownBy(() -> small.put("sku-1", "19.999"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "value of key 'sku-1' in RedisCache 'prices' is 6 bytes encoded, more than"
                  + " maxValueBytes 4; nothing was written");
    }
  }
}
