package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * {@link Throttle}: client-side adaptive throttling, {@code max(0, (requests - K * accepts) /
 * (requests + 1))}, on a fake ticker and a scripted random.
 */
class ThrottleTest {

  private static final long SECOND = 1_000_000_000L;

  private final FakeTicker ticker = FakeTicker.startingAt(Long.MAX_VALUE - 30 * SECOND);

  /** The next draw the throttle makes; the scripted random. */
  private double draw = 0.999_999;

  private Throttle.Builder builder(String name) {
    return Throttle.builder(name).ticker(ticker).random(() -> draw);
  }

  /** Makes {@code n} calls the throttle lets go and the backend rejects. */
  private static void rejectedByBackend(Throttle t, int n) {
    for (int i = 0; i < n; i++) {
      assertThat(t.tryAcquire()).isTrue();
      t.onRejected();
    }
  }

  /** Makes {@code n} calls the throttle lets go and the backend accepts. */
  private static void acceptedByBackend(Throttle t, int n) {
    for (int i = 0; i < n; i++) {
      assertThat(t.tryAcquire()).isTrue();
      t.onAccepted();
    }
  }

  // ---------------------------------------------------------------- the formula

  @Test
  void noRequests_probabilityIsZero_andEvenTheLowestDrawGoes() {
    Throttle t = builder("search").build();
    assertThat(t.probability()).isZero();
    draw = 0.0;

    assertThat(t.tryAcquire()).isTrue();
    assertThat(t.requests()).isEqualTo(1);
    assertThat(t.accepts()).isZero();
  }

  @Test
  void requestsEqualToKTimesAccepts_probabilityIsZero() {
    Throttle t = builder("search").build();
    acceptedByBackend(t, 2);
    rejectedByBackend(t, 2);

    assertThat(t.requests()).isEqualTo(4);
    assertThat(t.accepts()).isEqualTo(2);
    assertThat(t.probability()).isZero();
    draw = 0.0;
    assertThat(t.tryAcquire()).isTrue();
  }

  @Test
  void kIsTheMultiplier_ofTheAccepts() {
    Throttle t = builder("search").k(1.5).build();
    acceptedByBackend(t, 2);
    rejectedByBackend(t, 2);

    assertThat(t.k()).isEqualTo(1.5);
    assertThat(t.probability()).isEqualTo((4 - 1.5 * 2) / 5);
  }

  @Test
  void everyCallRejectedByTheBackend_probabilityIsNOverNPlusOne() {
    Throttle t = builder("search").build();
    rejectedByBackend(t, 99);

    assertThat(t.probability()).isEqualTo(99.0 / 100);
    assertThat(t.probability()).isCloseTo(1.0, within(0.011));
  }

  @Test
  void theDraw_rejectsBelowTheProbability_andGoesAtOrAboveIt() {
    Throttle t = builder("search").build();
    acceptedByBackend(t, 1);
    rejectedByBackend(t, 2);
    assertThat(t.probability()).isEqualTo((3 - 2.0) / 4); // 0.25

    draw = 0.25;
    assertThat(t.tryAcquire()).as("a draw equal to the probability").isTrue();
    t.onRejected();
    assertThat(t.probability()).isEqualTo((4 - 2.0) / 5); // 0.4
    draw = Math.nextDown(0.4);
    assertThat(t.tryAcquire()).as("a draw just below the probability").isFalse();
    assertThat(t.probability()).isEqualTo((5 - 2.0) / 6); // 0.5
    draw = Math.nextUp(0.5);
    assertThat(t.tryAcquire()).as("a draw just above the probability").isTrue();
    assertThat(t.requests()).isEqualTo(6);
    assertThat(t.accepts()).isEqualTo(1);
  }

  @Test
  void aLocalRejection_countsAsARequest() {
    Throttle t = builder("search").build();
    rejectedByBackend(t, 3);
    draw = 0.0;

    assertThat(t.tryAcquire()).isFalse();
    assertThat(t.tryAcquire()).isFalse();
    assertThat(t.requests()).isEqualTo(5);
    assertThat(t.probability()).isEqualTo(5.0 / 6);
  }

  // ---------------------------------------------------------------- the window

  @Test
  void counts_leaveTheWindow_bucketByBucket() {
    Throttle t = builder("search").window(Duration.ofMinutes(2), 12).build();
    acceptedByBackend(t, 2); // bucket 0
    ticker.advance(Duration.ofSeconds(10));
    rejectedByBackend(t, 3); // bucket 1
    ticker.advance(Duration.ofSeconds(105)); // 115 s: both still in the window
    assertThat(t.requests()).isEqualTo(5);
    assertThat(t.accepts()).isEqualTo(2);

    ticker.advance(Duration.ofSeconds(5)); // 120 s: bucket 0 has left
    assertThat(t.requests()).isEqualTo(3);
    assertThat(t.accepts()).isZero();
    assertThat(t.probability()).isEqualTo(3.0 / 4);

    ticker.advance(Duration.ofSeconds(10)); // 130 s: bucket 1 has left too
    assertThat(t.requests()).isZero();
    assertThat(t.probability()).isZero();
  }

  @Test
  void theRing_rollsOverManyWindows_countingOnlyTheLastOne() {
    Throttle t = builder("search").window(Duration.ofSeconds(4), 4).build();
    for (int second = 0; second < 40; second++) {
      acceptedByBackend(t, 1);
      rejectedByBackend(t, 1);
      assertThat(t.requests()).as("at %d s", second).isEqualTo(2L * Math.min(second + 1, 4));
      ticker.advance(SECOND);
    }
    assertThat(t.accepts()).isEqualTo(3);
    ticker.advance(Duration.ofHours(1));
    assertThat(t.requests()).isZero();
    acceptedByBackend(t, 1);
    assertThat(t.requests()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- verbs

  @Test
  void verbs_countAResultAsAnAccept_andAFailureAsNone() throws Exception {
    Throttle t = builder("search").build();
    IllegalStateException down = new IllegalStateException("down");
    IOException io = new IOException("reset");

    t.run(() -> {});
    assertThat(t.get(() -> "x")).isEqualTo("x");
    assertThat(t.call(() -> 42)).isEqualTo(42);
    assertThatThrownBy(
            () ->
                t.run(
                    () -> {
                      throw down;
                    }))
        .isSameAs(down);
    assertThatThrownBy(
            () ->
                t.call(
                    () -> {
                      throw io;
                    }))
        .isSameAs(io);

    assertThat(t.requests()).isEqualTo(5);
    assertThat(t.accepts()).isEqualTo(3);
  }

  @Test
  void theAcceptedPredicate_countsTheFailuresItMatches_asAccepts() {
    Throttle t = builder("search").accepted(e -> e instanceof NoSuchElementException).build();

    assertThatThrownBy(
            () ->
                t.get(
                    () -> {
                      throw new NoSuchElementException("404");
                    }))
        .isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(
            () ->
                t.get(
                    () -> {
                      throw new IllegalStateException("503");
                    }))
        .isInstanceOf(IllegalStateException.class);

    assertThat(t.requests()).isEqualTo(2);
    assertThat(t.accepts()).isEqualTo(1);
  }

  @Test
  void onFailure_withoutTheVerbs_classifiesTheFailureByTheAcceptedPredicate() {
    Throttle t = builder("search").accepted(e -> e instanceof NoSuchElementException).build();

    assertThat(t.tryAcquire()).isTrue();
    t.onFailure(new NoSuchElementException("404"));
    assertThat(t.tryAcquire()).isTrue();
    t.onFailure(new IllegalStateException("503"));

    assertThat(t.requests()).isEqualTo(2);
    assertThat(t.accepts()).isEqualTo(1);
    assertNull(() -> t.onFailure(null), "failure must not be null");
  }

  @Test
  void rejection_describesTheThrottleAsItStands_andCountsNothing() {
    Throttle t = builder("search").build();
    rejectedByBackend(t, 3);

    ThrottledException e = t.rejection();

    assertThat(e.name()).isEqualTo("search");
    assertThat(e.requests()).isEqualTo(3);
    assertThat(e.accepts()).isZero();
    assertThat(e.probability()).isEqualTo(t.probability());
    assertThat(e)
        .hasMessage(
            "Throttle 'search' rejected the call locally (probability 0.75; 3 requests, 0 accepts"
                + " in the last 2.00 min)");
    assertThat(t.requests()).isEqualTo(3);
  }

  @Test
  void aLocalRejection_byAVerb_throwsNamingTheThrottle_andDoesNotRunTheWork() {
    Throttle t = builder("search").build();
    rejectedByBackend(t, 3);
    draw = 0.0;
    AtomicInteger ran = new AtomicInteger();

    ThrottledException e =
        catchThrowableOfType(ThrottledException.class, () -> t.run(ran::incrementAndGet));

    assertThat(ran).hasValue(0);
    assertThat(e.name()).isEqualTo("search");
    assertThat(e.probability()).isEqualTo(0.75);
    assertThat(e.requests()).isEqualTo(4);
    assertThat(e.accepts()).isZero();
    assertThat(e)
        .hasMessage(
            "Throttle 'search' rejected the call locally (probability 0.75; 4 requests, 0 accepts"
                + " in the last 2.00 min)");
    assertThatThrownBy(() -> t.get(ran::incrementAndGet)).isInstanceOf(ThrottledException.class);
    assertThatThrownBy(() -> t.call(ran::incrementAndGet)).isInstanceOf(ThrottledException.class);
    assertThat(ran).hasValue(0);
    assertThat(t.requests()).isEqualTo(6);
  }

  @Test
  void toString_isTheNameThenTheProbabilityAndCounts() {
    Throttle t = builder("search").build();
    assertThat(t).hasToString("Throttle[name=search, probability=0.0, requests=0, accepts=0]");
    rejectedByBackend(t, 3);
    assertThat(t).hasToString("Throttle[name=search, probability=0.75, requests=3, accepts=0]");
  }

  @Test
  void withoutARandom_theCallingThreadsDraw_rejectsSomeRequestsAndLetsOthersGo() {
    Throttle t = Throttle.builder("search").ticker(ticker).build();
    acceptedByBackend(t, 1_000);
    // The probability stays 0 up to 2 x 1,000 requests: these go without a draw.
    for (int i = 0; i < 1_001; i++) {
      assertThat(t.tryAcquire()).isTrue();
      t.onRejected();
    }
    int went = 0;
    int rejected = 0;
    for (int i = 0; i < 2_000; i++) {
      if (t.tryAcquire()) {
        went++;
        t.onRejected();
      } else {
        rejected++;
      }
    }

    // From then on every request draws, at a probability (requests - 2,000) / (requests + 1)
    // above 0 and below 0.5: whatever ThreadLocalRandom draws, all 2,000 rejected has a
    // probability below 2^-2,000, and all going (the last 1,000 at 1/3 or more) below 10^-170.
    assertThat(went).isPositive();
    assertThat(rejected).isPositive();
    assertThat(went + rejected).isEqualTo(2_000);
    assertThat(t.requests()).isEqualTo(4_001);
    assertThat(t.accepts()).isEqualTo(1_000);
  }

  // ---------------------------------------------------------------- as the SRE book predicts

  /**
   * An overloaded backend: the client offers ten times what it can take (one call per 100 ms, the
   * client tries every 10 ms), so that unthrottled it rejects 90 % of the calls. Throttled, the
   * backend sees about K calls per accepted one (here 16,994 calls for 8,433 accepts: 2.02), within
   * K + 0.1; and it still gets most of the calls it can take (here 84 %, above 80 %: the calls that
   * go arrive at random, so some 100 ms pass without one).
   */
  @Test
  void anOverloadedBackend_seesAboutKCallsPerAccept() {
    SplittableRandom seeded = new SplittableRandom(20_261_204L);
    Throttle t = Throttle.builder("search").ticker(ticker).random(seeded::nextDouble).build();
    long lastSlot = -1;
    long backendCalls = 0;
    long accepted = 0;
    int attempts = 100_000;

    for (int i = 0; i < attempts; i++) {
      ticker.advance(10_000_000L);
      if (!t.tryAcquire()) {
        continue;
      }
      backendCalls++;
      long slot = i / 10; // the backend takes the first call of every 100 ms
      if (slot != lastSlot) {
        lastSlot = slot;
        accepted++;
        t.onAccepted();
      } else {
        t.onRejected();
      }
    }

    double kPlusMargin = Throttle.DEFAULT_K + 0.1;
    assertThat(backendCalls)
        .as("backend calls, for %d accepted of %d attempts", accepted, attempts)
        .isLessThanOrEqualTo((long) (kPlusMargin * accepted));
    assertThat(accepted).as("the backend's capacity is used").isGreaterThan(8_000);
  }

  // ---------------------------------------------------------------- the board

  @Test
  void board_throttle_isCreatedOnFirstUse_sameAfterwards_andListedByName() {
    Breakers board = Breakers.create();
    Throttle search = board.throttle("search");
    Throttle ads = board.throttle("ads");

    assertThat(board.throttle("search")).isSameAs(search);
    assertThat(board.throttles()).containsExactly(entry("ads", ads), entry("search", search));
    assertThat(board.throttles().keySet()).containsExactly("ads", "search");
    assertThat(board).hasToString("Breakers[breakers={}, limiters=[], throttles=[ads, search]]");
    assertThatThrownBy(() -> board.throttles().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void board_tripAllAndResetAll_leaveThrottlesAlone() {
    Breakers board = Breakers.create();
    Throttle search = board.throttle("search");
    search.tryAcquire();
    search.onAccepted();

    board.tripAll();
    board.resetAll();

    assertThat(search.requests()).isEqualTo(1);
    assertThat(search.accepts()).isEqualTo(1);
    assertThat(board.throttles()).containsOnlyKeys("search");
  }

  private static java.util.Map.Entry<String, Throttle> entry(String name, Throttle t) {
    return java.util.Map.entry(name, t);
  }

  // ---------------------------------------------------------------- bad parameters

  @Test
  void badParameters_areRefused_namingParameterAndValue() {
    assertRefused(() -> Throttle.builder("s").k(0.5), "k must be >= 1 and finite, was 0.5");
    assertRefused(() -> Throttle.builder("s").k(Double.NaN), "k must be >= 1 and finite, was NaN");
    assertRefused(
        () -> Throttle.builder("s").k(Double.POSITIVE_INFINITY),
        "k must be >= 1 and finite, was Infinity");
    assertRefused(
        () -> Throttle.builder("s").window(Duration.ZERO, 12), "window must be positive, was PT0S");
    assertRefused(
        () -> Throttle.builder("s").window(Duration.ofSeconds(-1), 12),
        "window must be positive, was PT-1S");
    assertRefused(
        () -> Throttle.builder("s").window(Duration.ofMinutes(2), 0),
        "buckets must be in [1, 1000], was 0");
    assertRefused(
        () -> Throttle.builder("s").window(Duration.ofMinutes(2), 1001),
        "buckets must be in [1, 1000], was 1001");
    assertRefused(
        () -> Throttle.builder("s").window(Duration.ofNanos(5), 10),
        "window must be at least 1 ns per bucket, was PT0.000000005S for 10");
    assertRefused(() -> Throttle.of(" "), "name must not be blank, was ' '");
    assertRefused(() -> Throttle.builder(" "), "name must not be blank, was ' '");
    assertRefused(() -> Breakers.create().throttle(" "), "name must not be blank, was ' '");
  }

  @Test
  void nulls_areRefused_namingTheParameter() {
    assertNull(() -> Throttle.of(null), "name must not be null");
    assertNull(() -> Breakers.create().throttle(null), "name must not be null");
    assertNull(() -> Throttle.builder("s").window(null, 12), "window must not be null");
    assertNull(() -> Throttle.builder("s").ticker(null), "ticker must not be null");
    assertNull(() -> Throttle.builder("s").random(null), "random must not be null");
    assertNull(() -> Throttle.builder("s").accepted(null), "accepted must not be null");
    Throttle t = Throttle.of("s");
    assertNull(() -> t.run(null), "work must not be null");
    assertNull(() -> t.get(null), "work must not be null");
    assertNull(() -> t.call(null), "work must not be null");
  }

  @Test
  void defaults_areTheBooks() {
    Throttle t = Throttle.of("search");
    assertThat(t.name()).isEqualTo("search");
    assertThat(t.k()).isEqualTo(2.0);
    assertThat(Throttle.DEFAULT_WINDOW).isEqualTo(Duration.ofMinutes(2));
    assertThat(Throttle.DEFAULT_BUCKETS).isEqualTo(12);
    assertThat(t.tryAcquire()).isTrue();
  }

  private static void assertRefused(ThrowingCallable call, String message) {
    assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @SuppressWarnings("NullAway")
  private static void assertNull(ThrowingCallable call, String message) {
    assertThatThrownBy(call).isInstanceOf(NullPointerException.class).hasMessage(message);
  }
}
