package io.dyno.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which entry leaves when the cache is full: the newcomer only wins if it is read more often than
 * the victim, the victim is the entry read least often, then least recently, and an expired entry
 * goes before any live one. With at most 9 entries the cache looks at all of them, so the choice is
 * exact.
 */
class EvictionChoiceTest extends EvictionTestBase {

  EvictionChoiceTest() {
    super("choice");
  }

  private static EvictionEvent<Integer, String> sizeEviction(int key) {
    return new EvictionEvent<>("choice", key, "v" + key, EvictionEvent.Cause.SIZE);
  }

  /** Reads a missing key {@code times} times without computing it, so that it counts as read. */
  private static void readMissing(Cache<Integer, String> cache, int key, int times) {
    for (int i = 0; i < times; i++) {
      assertThat(cache.getIfPresent(key)).isNull();
    }
  }

  @Test
  void aNewcomerReadAsOftenAsTheVictim_isDropped_butItsReaderGetsItsValue() {
    Cache<Integer, String> cache = bounded(1);
    cache.get(1, EvictionChoiceTest::load); // read once

    assertThat(cache.get(2, EvictionChoiceTest::load)).isEqualTo("v2"); // read once: a tie

    assertThat(events).containsExactly(sizeEviction(2));
    assertThat(cache.getIfPresent(1)).isEqualTo("v1");
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.stats().evictions()).isEqualTo(1);
  }

  @Test
  void aNewcomerReadMoreOftenThanTheVictim_takesItsPlace() {
    Cache<Integer, String> cache = bounded(1);
    cache.get(1, EvictionChoiceTest::load);
    readMissing(cache, 2, 1);

    assertThat(cache.get(2, EvictionChoiceTest::load)).isEqualTo("v2"); // read twice now

    assertThat(events).containsExactly(sizeEviction(1));
    assertThat(cache.getIfPresent(2)).isEqualTo("v2");
    assertThat(cache.getIfPresent(1)).isNull();
  }

  @Test
  void theVictim_isTheEntryReadLeastOften() {
    Cache<Integer, String> cache = bounded(3);
    for (int key = 1; key <= 3; key++) {
      cache.get(key, EvictionChoiceTest::load);
    }
    cache.getIfPresent(1);
    cache.getIfPresent(3);
    readMissing(cache, 4, 3);

    cache.get(4, EvictionChoiceTest::load);

    assertThat(events).containsExactly(sizeEviction(2));
    assertThat(cache.size()).isEqualTo(3);
  }

  @Test
  void amongEntriesReadAsOften_theVictimIsTheOneReadLeastRecently() {
    Cache<Integer, String> cache = bounded(3);
    cache.get(1, EvictionChoiceTest::load);
    cache.get(2, EvictionChoiceTest::load);
    cache.getIfPresent(2); // 2: read twice, last while 2 was the newest entry
    cache.get(3, EvictionChoiceTest::load);
    cache.getIfPresent(1); // 1: read twice, last after 3 arrived
    cache.getIfPresent(3); // 3: read twice, last after 3 arrived
    readMissing(cache, 4, 3);

    cache.get(4, EvictionChoiceTest::load);

    assertThat(events).containsExactly(sizeEviction(2)); // not 1, the first to arrive
    assertThat(cache.getIfPresent(1)).isEqualTo("v1");
  }

  @Test
  void anExpiredEntry_isEvictedBeforeALiveOneReadLessOften() {
    Cache<Integer, String> cache = bounded(2);
    cache.get(1, EvictionChoiceTest::load);
    for (int i = 0; i < 5; i++) {
      cache.getIfPresent(1); // 1 is read often
    }
    now.set(500 * MS);
    cache.get(2, EvictionChoiceTest::load); // read once, expires at 1500 ms
    now.set(1000 * MS); // 1 has expired, 2 is live

    cache.get(3, EvictionChoiceTest::load); // read once, no more than 2

    assertThat(events)
        .containsExactly(new EvictionEvent<>("choice", 1, "v1", EvictionEvent.Cause.EXPIRED));
    assertThat(cache.getIfPresent(2)).isEqualTo("v2");
    assertThat(cache.getIfPresent(3)).isEqualTo("v3");
  }

  @Test
  void evictions_areCounted_evenWithoutAListener() {
    Cache<Integer, String> cache =
        Cache.builder("quiet")
            .ttl(Duration.ofSeconds(1))
            .maximumSize(1)
            .ticker(now)
            .random(new FixedRandom(0.0))
            .build();
    cache.get(1, EvictionChoiceTest::load);
    cache.get(2, EvictionChoiceTest::load);
    now.set(1000 * MS);
    cache.cleanUp();

    assertThat(cache.stats().evictions()).isEqualTo(2);
    assertThat(cache.size()).isZero();
  }

  @Test
  void everyListener_isToldOfEachEviction_inTheOrderTheyWereAdded() {
    List<String> told = new ArrayList<>();
    Cache<Integer, String> cache =
        Cache.builder("two")
            .ttl(Duration.ofSeconds(1))
            .ticker(now)
            .<Integer, String>onEviction(e -> told.add("first " + e.key()))
            .<Integer, String>onEviction(e -> told.add("second " + e.key()))
            .build();
    cache.put(1, "a");
    cache.put(2, "b");
    now.set(1000 * MS);
    cache.cleanUp();

    assertThat(told).containsExactlyInAnyOrder("first 1", "second 1", "first 2", "second 2");
    assertThat(told.indexOf("first 1")).isLessThan(told.indexOf("second 1"));
    assertThat(told.indexOf("first 2")).isLessThan(told.indexOf("second 2"));
  }

  @Test
  void withNineEntries_everyOtherEntryIsLookedAt_soTheLeastReadOneGoes() {
    Cache<Integer, String> cache = bounded(8);
    for (int key = 1; key <= 8; key++) {
      cache.get(key, EvictionChoiceTest::load);
      if (key != 5) {
        cache.getIfPresent(key); // every entry but 5 is read twice
      }
    }
    readMissing(cache, 9, 3);

    cache.get(9, EvictionChoiceTest::load);

    assertThat(events).containsExactly(sizeEviction(5));
    assertThat(cache.size()).isEqualTo(8);
  }

  @Test
  void expiredEntries_ofKeysNobodyReads_arePurgedAsNewEntriesArrive() {
    Cache<Integer, String> cache = sweeping();
    for (int key = 0; key < 20; key++) {
      cache.put(key, "old");
    }
    now.set(1000 * MS);
    for (int key = 100; key < 300; key++) {
      cache.put(key, "new");
    }
    assertThat(events)
        .hasSizeGreaterThan(15)
        .allMatch(e -> e.cause() == EvictionEvent.Cause.EXPIRED);
    assertThat(cache.size()).isEqualTo(220 - events.size());
  }

  @Test
  void anExpiredEntry_goesFirst_asExpired_whereverItSits_evenIfReadMoreOftenThanTheNewcomer() {
    for (int expired = 1; expired <= 8; expired++) {
      events.clear();
      now.set(0);
      Cache<Integer, String> cache = bounded(8);
      for (int key = 1; key <= 8; key++) {
        cache.get(key, EvictionChoiceTest::load);
        cache.getIfPresent(key);
      }
      for (int i = 0; i < 3; i++) {
        cache.getIfPresent(expired); // read five times, the others twice, the newcomer once
      }
      now.set(500 * MS);
      for (int key = 1; key <= 8; key++) {
        if (key != expired) {
          cache.put(key, "v" + key); // renewed: live until 1500 ms
        }
      }
      now.set(1000 * MS);

      cache.get(9, EvictionChoiceTest::load);

      assertThat(events)
          .as("entry %d expired", expired)
          .containsExactly(
              new EvictionEvent<>("choice", expired, "v" + expired, EvictionEvent.Cause.EXPIRED));
      assertThat(cache.getIfPresent(9)).isEqualTo("v9");
      assertThat(cache.size()).isEqualTo(8);
    }
  }

  @Test
  void anEntryReadLessOften_goesBeforeOneReadMoreOftenButLessRecently() {
    Cache<Integer, String> cache = bounded(4);
    cache.get(1, EvictionChoiceTest::load);
    cache.get(2, EvictionChoiceTest::load);
    cache.get(3, EvictionChoiceTest::load);
    cache.getIfPresent(3);
    cache.getIfPresent(3); // 3: read three times, last before 4 arrived
    cache.get(4, EvictionChoiceTest::load);
    cache.getIfPresent(1);
    cache.getIfPresent(1); // 1: read three times, recently
    cache.getIfPresent(2); // 2: read twice, recently
    cache.getIfPresent(4);
    cache.getIfPresent(4); // 4: read three times, recently
    readMissing(cache, 5, 3);

    cache.get(5, EvictionChoiceTest::load);

    assertThat(events).containsExactly(sizeEviction(2));
    assertThat(cache.getIfPresent(3)).isEqualTo("v3");
  }

  @Test
  void amongEntriesReadAsOftenAndAsRecently_theOneThatArrivedFirstGoes() {
    Cache<Integer, String> cache = bounded(3);
    cache.get(1, EvictionChoiceTest::load);
    cache.get(2, EvictionChoiceTest::load);
    cache.get(3, EvictionChoiceTest::load);
    cache.getIfPresent(1);
    cache.getIfPresent(2); // 1 and 2: read twice, last at the same logical time
    cache.getIfPresent(3);
    cache.getIfPresent(3); // 3: read three times
    readMissing(cache, 4, 3);

    cache.get(4, EvictionChoiceTest::load);

    assertThat(events).containsExactly(sizeEviction(1));
    assertThat(cache.getIfPresent(2)).isEqualTo("v2");
  }

  @Test
  void withNineEntries_theLeastReadOneGoes_whereverItSits() {
    for (int cold = 1; cold <= 8; cold++) {
      events.clear();
      Cache<Integer, String> cache = bounded(8);
      for (int key = 1; key <= 8; key++) {
        cache.get(key, EvictionChoiceTest::load);
        if (key != cold) {
          cache.getIfPresent(key);
        }
      }
      readMissing(cache, 9, 3);

      cache.get(9, EvictionChoiceTest::load);

      assertThat(events).as("entry %d read least", cold).containsExactly(sizeEviction(cold));
    }
  }

  @Test
  void withMoreThanNineEntries_theSampleReachesPastTheFirstOnes() {
    // 20 entries: the 9 that arrived first are read often, the 11 after them once. A sample of 8
    // drawn from all of them misses every one of the 11 with a chance of (9/20)^8 < 0.2 %; a look
    // at
    // the first 8 only would find no entry the newcomer can replace.
    Cache<Integer, String> cache = bounded(20);
    for (int key = 1; key <= 20; key++) {
      cache.get(key, EvictionChoiceTest::load);
    }
    for (int key = 1; key <= 9; key++) {
      for (int i = 0; i < 5; i++) {
        cache.getIfPresent(key);
      }
    }
    readMissing(cache, 21, 2);

    cache.get(21, EvictionChoiceTest::load);

    assertThat(events).hasSize(1);
    assertThat(events.get(0).key()).isBetween(10, 20);
    assertThat(events.get(0).cause()).isEqualTo(EvictionEvent.Cause.SIZE);
    assertThat(cache.getIfPresent(21)).isEqualTo("v21");
  }

  @Test
  void eachNewEntry_removesAtMostTwoExpiredEntries() {
    Cache<Integer, String> cache = sweeping();
    for (int key = 0; key < 100; key++) {
      cache.put(key, "old");
    }
    now.set(1000 * MS);
    for (int key = 100; key < 110; key++) {
      cache.put(key, "new");
    }
    assertThat(events)
        .hasSizeBetween(10, 20)
        .allMatch(e -> e.cause() == EvictionEvent.Cause.EXPIRED);
    assertThat(cache.size()).isEqualTo(110 - events.size());
  }
}
