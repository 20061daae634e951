package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/**
 * {@link Throttle} at the edges of its window: late ticker readings (a thread that read the time
 * before another thread counted in a newer bucket), the smallest and largest windows the builder
 * allows, the verbs' accepted failures, and the counts a rejection reports.
 */
class ThrottleWindowEdgeTest {

  private static final long SECOND = 1_000_000_000L;

  /** Near the end of the ticker's range, so that the window is compared by difference. */
  private static final long START = Long.MAX_VALUE - 3 * SECOND;

  private final FakeTicker ticker = FakeTicker.startingAt(START);

  /** The next draw the throttle makes; the scripted random. */
  private double draw = 0.999_999;

  /** A throttle whose window is 4 s in 4 buckets of 1 s, on the fake ticker. */
  private Throttle fourSeconds() {
    return Throttle.builder("search")
        .window(Duration.ofSeconds(4), 4)
        .ticker(ticker)
        .random(() -> draw)
        .build();
  }

  /** Sets the ticker to {@code millis} after the throttle was built, forward or back. */
  private void at(long millis) {
    ticker.set(START + millis * 1_000_000L);
  }

  private static void accepted(Throttle t, int n) {
    for (int i = 0; i < n; i++) {
      assertThat(t.tryAcquire()).isTrue();
      t.onAccepted();
    }
  }

  private static void rejected(Throttle t, int n) {
    for (int i = 0; i < n; i++) {
      assertThat(t.tryAcquire()).isTrue();
      t.onRejected();
    }
  }

  // ---------------------------------------------------------------- late readings

  @Test
  void aLateReading_insideTheWindow_addsToItsOwnBucket_keepingWhatItHeld() {
    Throttle t = fourSeconds();
    accepted(t, 2); // 0 s
    at(1_000);
    accepted(t, 1); // 1 s
    at(2_000);
    rejected(t, 1); // 2 s: the newest bucket

    at(1_500); // a thread that read the time before the call at 2 s
    accepted(t, 1);

    at(2_000);
    assertThat(t.requests()).isEqualTo(5);
    assertThat(t.accepts()).isEqualTo(4);
    at(4_000); // the bucket of 0 s has left
    assertThat(t.requests()).isEqualTo(3);
    assertThat(t.accepts()).isEqualTo(2);
    at(5_000); // the bucket of 1 s has left, with the late call in it
    assertThat(t.requests()).isEqualTo(1);
    assertThat(t.accepts()).isZero();
  }

  @Test
  void aLateReading_aWholeWindowOld_countsNowhere_andNeitherFailsNorEvictsNewerCounts() {
    Throttle t = fourSeconds();
    accepted(t, 1); // 0 s
    at(5_000);
    accepted(t, 2); // 5 s: its bucket holds the ring's slot of 1 s

    at(1_000); // a reading older than the newest bucket by a whole window
    assertThat(t.tryAcquire()).isTrue();
    t.onAccepted();
    t.run(() -> {});

    assertThat(t.requests()).as("the window as of 5 s").isEqualTo(2);
    assertThat(t.accepts()).isEqualTo(2);
    at(5_000);
    assertThat(t.requests()).isEqualTo(2);
    assertThat(t.accepts()).isEqualTo(2);
    assertThat(t).hasToString("Throttle[name=search, probability=0.0, requests=2, accepts=2]");
  }

  @Test
  void aLateReading_seesTheWindowAsOfTheNewestBucket() {
    Throttle t = fourSeconds();
    rejected(t, 1); // 0 s
    at(2_000);
    rejected(t, 2); // 2 s

    at(1_000); // a thread that read the time before the calls at 2 s
    assertThat(t.requests()).isEqualTo(3);
    assertThat(t.probability()).isEqualTo(3.0 / 4);
    assertThat(t).hasToString("Throttle[name=search, probability=0.75, requests=3, accepts=0]");
  }

  @Test
  void aLateReading_thatOpensAnOlderBucket_doesNotMoveTheWindowBack() {
    Throttle t = fourSeconds();
    rejected(t, 1); // 0 s
    at(3_000);
    rejected(t, 1); // 3 s: the newest bucket

    at(1_000); // no call was counted at 1 s: the late call opens its bucket
    rejected(t, 1);
    assertThat(t.requests()).as("read late, the window still ends at 3 s").isEqualTo(3);

    at(3_000);
    assertThat(t.requests()).isEqualTo(3);
    at(4_000); // the bucket of 0 s has left
    assertThat(t.requests()).isEqualTo(2);
    at(5_000); // the late call's bucket has left
    assertThat(t.requests()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- windows at the builder's
  // limits

  @Test
  void oneBucket_isAllowed_andItsCountsLeaveAllAtOnce() {
    Throttle t =
        Throttle.builder("search")
            .window(Duration.ofSeconds(10), 1)
            .ticker(ticker)
            .random(() -> draw)
            .build();
    rejected(t, 2);
    at(9_999);
    accepted(t, 1);
    assertThat(t.requests()).isEqualTo(3);

    at(10_000);
    assertThat(t.requests()).isZero();
    assertThat(t.accepts()).isZero();
  }

  @Test
  void aThousandBuckets_isAllowed_andEachLeavesAWindowLater() {
    Throttle t =
        Throttle.builder("search")
            .window(Duration.ofSeconds(1_000), Throttle.MAX_BUCKETS)
            .ticker(ticker)
            .random(() -> draw)
            .build();
    accepted(t, 1); // 0 s
    at(1_000);
    rejected(t, 1); // 1 s

    at(999_999);
    assertThat(t.requests()).isEqualTo(2);
    at(1_000_000);
    assertThat(t.requests()).isEqualTo(1);
    assertThat(t.accepts()).isZero();
  }

  @Test
  void oneNanosecondPerBucket_isAllowed() {
    Throttle t =
        Throttle.builder("search")
            .window(Duration.ofNanos(10), 10)
            .ticker(ticker)
            .random(() -> draw)
            .build();
    rejected(t, 1);
    ticker.advance(9);
    assertThat(t.requests()).isEqualTo(1);
    ticker.advance(1);
    assertThat(t.requests()).isZero();
  }

  @Test
  void kOfOne_isAllowed_andRejectsAsSoonAsRequestsExceedAccepts() {
    Throttle t = Throttle.builder("search").k(1).ticker(ticker).random(() -> draw).build();
    accepted(t, 1);
    assertThat(t.k()).isEqualTo(1.0);
    assertThat(t.probability()).isZero();

    rejected(t, 1);
    assertThat(t.probability()).isEqualTo((2 - 1.0) / 3);
  }

  // ---------------------------------------------------------------- verbs and rejections

  @Test
  void callAndRun_countAnAcceptedFailure_asAnAccept() {
    Throttle t =
        Throttle.builder("search")
            .ticker(ticker)
            .random(() -> draw)
            .accepted(e -> e instanceof NoSuchElementException)
            .build();
    NoSuchElementException notFound = new NoSuchElementException("404");

    assertThatThrownBy(
            () ->
                t.call(
                    () -> {
                      throw notFound;
                    }))
        .isSameAs(notFound);
    assertThatThrownBy(
            () ->
                t.run(
                    () -> {
                      throw notFound;
                    }))
        .isSameAs(notFound);
    assertThatThrownBy(
            () ->
                t.run(
                    () -> {
                      throw new IllegalStateException("503");
                    }))
        .isInstanceOf(IllegalStateException.class);

    assertThat(t.requests()).isEqualTo(3);
    assertThat(t.accepts()).isEqualTo(2);
  }

  @Test
  void aLocalRejection_reportsTheAcceptsOfTheWindow() {
    Throttle t = Throttle.builder("search").ticker(ticker).random(() -> draw).build();
    accepted(t, 1);
    rejected(t, 2);
    draw = 0.0;

    ThrottledException e = catchThrowableOfType(ThrottledException.class, () -> t.get(() -> "x"));

    assertThat(e.probability()).isEqualTo((3 - 2.0) / 4);
    assertThat(e.requests()).isEqualTo(4);
    assertThat(e.accepts()).isEqualTo(1);
    assertThat(e)
        .hasMessage(
            "Throttle 'search' rejected the call locally (probability 0.25; 4 requests, 1 accepts"
                + " in the last 2.00 min)");
    assertThat(t.rejection().accepts()).isEqualTo(1);
  }
}
