package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An adaptive {@link Limiter} learns from the calls' samples: each algorithm grows under low
 * latency, backs off when the latency rises or calls are dropped, recovers, and stays within its
 * bounds.
 */
class LimiterAdaptiveTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  /** Feeds {@code n} successes of {@code rtt}, each with the whole limit in flight. */
  static void busy(Limiter limiter, int n, long rtt) {
    for (int i = 0; i < n; i++) {
      int inflight = limiter.limit();
      for (int p = 0; p < inflight; p++) {
        assertThat(limiter.tryAcquire()).isTrue();
      }
      limiter.onSuccess(rtt);
      for (int p = 1; p < inflight; p++) {
        limiter.release();
      }
    }
    assertThat(limiter.inFlight()).isZero();
  }

  /** Feeds {@code n} drops. */
  static void drops(Limiter limiter, int n) {
    for (int i = 0; i < n; i++) {
      assertThat(limiter.tryAcquire()).isTrue();
      limiter.onDropped();
    }
  }

  // ---------------------------------------------------------------- Gradient2

  @Test
  void adaptive_isGradient2_startingAtTwenty() {
    Limiter search = Limiter.adaptive("search");

    assertThat(search.algorithm()).isEqualTo("gradient2");
    assertThat(search.limit()).isEqualTo(20).isEqualTo(search.permits());
    assertThat(search.available()).isEqualTo(20);
    assertThat(search)
        .hasToString("Limiter[name=search, inFlight=0, limit=20, algorithm=gradient2]");
  }

  @Test
  void gradient2_growsUnderLowLatency_backsOffWhenItRises_andRecovers() {
    Limiter db =
        Limiter.builder("db").gradient2(g -> g.initialLimit(20).minLimit(10).maxLimit(100)).build();

    busy(db, 100, 10 * MS);
    int grown = db.limit();
    // Above the no-load latency the limit moves once every quarter of its samples.
    busy(db, 300, 50 * MS);
    int backedOff = db.limit();
    busy(db, 1000, 10 * MS);

    assertThat(grown).isGreaterThan(40);
    assertThat(backedOff).isLessThan(grown / 2);
    assertThat(db.limit()).isGreaterThan(backedOff * 2);
  }

  @Test
  void gradient2_staysWithinMinAndMax() {
    Limiter db =
        Limiter.builder("db").gradient2(g -> g.initialLimit(20).minLimit(10).maxLimit(30)).build();

    busy(db, 500, 10 * MS);
    assertThat(db.limit()).isEqualTo(30);
    busy(db, 400, 500 * MS);
    assertThat(db.limit()).isEqualTo(10);
  }

  @Test
  void gradient2_backsOffOnDrops_evenWhenTheyAreFast() {
    Limiter db =
        Limiter.builder("db").gradient2(g -> g.initialLimit(50).minLimit(5).maxLimit(100)).build();

    drops(db, 5);

    // 50 -> 50 * 0.8 + (50 * 0.5 + 4) * 0.2 = 45.8, and so on.
    assertThat(db.limit()).isBetween(30, 35);
  }

  @Test
  void gradient2_doesNotGrow_whileLessThanHalfTheLimitIsInUse() {
    Limiter db = Limiter.builder("db").gradient2(g -> g.minLimit(1)).build();

    for (int i = 0; i < 100; i++) {
      db.tryAcquire();
      db.onSuccess(MS);
    }

    assertThat(db.limit()).isEqualTo(20);
  }

  // ---------------------------------------------------------------- Vegas

  @Test
  void vegas_growsWithoutQueue_backsOffWhenLatencyRises_andRecovers() {
    Limiter v =
        Limiter.builder("v")
            .vegas(s -> s.initialLimit(10).maxLimit(500).probeMultiplier(1000))
            .build();

    // The limit moves once a round of calls: once every limit's worth of samples.
    busy(v, 1, 10 * MS); // the no-load latency
    busy(v, 200, 10 * MS);
    int grown = v.limit();
    busy(v, 400, 40 * MS);
    int backedOff = v.limit();
    busy(v, 400, 10 * MS);

    assertThat(grown).isGreaterThan(40);
    assertThat(backedOff).isLessThan(grown);
    assertThat(v.limit()).isGreaterThan(backedOff);
  }

  @Test
  void vegas_staysWithinOneAndMax_andDropsBackOff() {
    Limiter v =
        Limiter.builder("v")
            .vegas(s -> s.initialLimit(10).maxLimit(30).probeMultiplier(1000))
            .build();

    busy(v, 150, 10 * MS);
    assertThat(v.limit()).isEqualTo(30);
    drops(v, 3);
    assertThat(v.limit()).isEqualTo(27); // minus the limit's logarithm, 1, each time: drops at once
    busy(v, 1500, 100 * MS);
    // At 6 the queue, ceil(6 x (1 - 10 / 100)) = 6, is no longer above beta, 6 x log10(6) = 6.
    assertThat(v.limit()).isEqualTo(6);
  }

  @Test
  void vegas_probes_letItRecover_fromAServiceThatGotSlowerForGood() {
    Limiter stuck =
        Limiter.builder("v")
            .vegas(s -> s.initialLimit(20).maxLimit(20).probeMultiplier(1000))
            .build();
    // A probe drains the queue and measures 30 ms as the no-load latency: then there is no queue.
    Limiter probing =
        Limiter.builder("v")
            .vegas(s -> s.initialLimit(20).maxLimit(20).probeMultiplier(5).random(() -> 0.5))
            .build();

    for (Limiter v : List.of(stuck, probing)) {
      busy(v, 1, 10 * MS);
      busy(v, 400, 30 * MS);
    }

    assertThat(stuck.limit()).isLessThan(10);
    assertThat(probing.limit()).isGreaterThanOrEqualTo(10);
  }

  /** The limits after each of 1 sample at 10 ms and 300 at 30 ms. */
  private static List<Integer> path(Limiter v) {
    List<Integer> path = new ArrayList<>();
    busy(v, 1, 10 * MS);
    for (int i = 0; i < 300; i++) {
      busy(v, 1, 30 * MS);
      path.add(v.limit());
    }
    return path;
  }

  private static Limiter vegasDrawing(double draw) {
    return Limiter.builder("v")
        .vegas(s -> s.initialLimit(20).maxLimit(20).probeMultiplier(1).random(() -> draw))
        .build();
  }

  @Test
  void vegas_random_decidesWhenItProbes_soThatRunsRepeat() {
    assertThat(path(vegasDrawing(0.0))).isEqualTo(path(vegasDrawing(0.0)));
    assertThat(path(vegasDrawing(0.0))).isNotEqualTo(path(vegasDrawing(0.999)));
  }

  // ---------------------------------------------------------------- AIMD

  @Test
  void aimd_addsOnePerWindowWhileBusy_backsOffOncePerWindowOfLosses_andRecovers() {
    Limiter a =
        Limiter.builder("a")
            .aimd(s -> s.initialLimit(20).minLimit(5).maxLimit(40).timeout(Duration.ofMillis(100)))
            .build();

    busy(a, 19, 10 * MS);
    assertThat(a.limit()).as("one short of a window of 20").isEqualTo(20);
    busy(a, 1, 10 * MS);
    assertThat(a.limit()).isEqualTo(21);

    for (int i = 0; i < 21; i++) {
      assertThat(a.tryAcquire()).isTrue();
    }
    for (int i = 0; i < 21; i++) {
      a.onDropped();
    }
    assertThat(a.limit())
        .as("21 losses of one window back off once: (int) (21 * 0.9)")
        .isEqualTo(18);

    busy(a, 1, 200 * MS);
    assertThat(a.limit()).as("slower than the timeout is a loss").isEqualTo(16);
    busy(a, 17, 10 * MS);
    assertThat(a.limit()).as("the 17 others in flight at the loss do not count").isEqualTo(16);
    busy(a, 16, 10 * MS);
    assertThat(a.limit()).isEqualTo(17);
    busy(a, 2000, 10 * MS);
    assertThat(a.limit()).isEqualTo(40);
    drops(a, 100);
    assertThat(a.limit()).as("losses one after another, each a window of its own").isEqualTo(5);
  }

  @Test
  void aimd_growsNoFurther_whileLessThanHalfOfTheLimitIsInUse() {
    Limiter a = Limiter.builder("a").aimd(s -> s.initialLimit(10).minLimit(1)).build();
    for (int i = 0; i < 100; i++) {
      assertThat(a.tryAcquire()).isTrue();
      a.onSuccess(MS);
    }

    assertThat(a.limit()).isEqualTo(10);
  }

  @Test
  void aimd_backoffRatio_isTheFactorOfALoss() {
    Limiter a =
        Limiter.builder("a").aimd(s -> s.initialLimit(100).minLimit(1).backoffRatio(0.5)).build();

    drops(a, 2);

    assertThat(a.limit()).isEqualTo(25);
  }

  // ---------------------------------------------------------------- reading and rejection

  @Test
  void aLowerLimit_letsRunningCallsFinish_andAvailableIsZeroMeanwhile() {
    Limiter a =
        Limiter.builder("a").aimd(s -> s.initialLimit(10).minLimit(1).backoffRatio(0.5)).build();
    for (int i = 0; i < 10; i++) {
      assertThat(a.tryAcquire()).isTrue();
    }

    a.onDropped(); // 9 in flight, limit 5

    assertThat(a.inFlight()).isEqualTo(9).isEqualTo(a.inUse());
    assertThat(a.limit()).isEqualTo(5);
    assertThat(a.available()).isZero();
    assertThat(a.tryAcquire()).isFalse();
    for (int i = 0; i < 9; i++) {
      a.release();
    }
    assertThat(a.available()).isEqualTo(5);
  }

  @Test
  void aFullAdaptiveLimiter_rejects_namingItsLimitAndAlgorithm() {
    Limiter a =
        Limiter.builder("search")
            .aimd(s -> s.initialLimit(2).minLimit(1))
            .writableStackTrace(false)
            .build();
    assertThat(a.tryAcquire()).isTrue();
    assertThat(a.tryAcquire()).isTrue();

    LimitExceededException e = catchThrowableOfType(LimitExceededException.class, a::acquire);

    assertThat(e.getMessage())
        .isEqualTo(
            "Limiter 'search' is full (2 of 2 in flight, adaptive limit 2 by aimd);"
                + " call not permitted");
    assertThat(e.limit()).isEqualTo(2).isEqualTo(e.permits());
    assertThat(e.name()).isEqualTo("search");
    assertThat(e.getStackTrace()).isEmpty();
    assertThatThrownBy(() -> a.run(() -> {})).isInstanceOf(LimitExceededException.class);
    assertThatThrownBy(() -> a.get(() -> 1)).isInstanceOf(LimitExceededException.class);
    assertThatThrownBy(() -> a.call(() -> 1)).isInstanceOf(LimitExceededException.class);
  }

  @Test
  void aFixedLimiter_keepsItsWording_andItsSamplesOnlyRelease() {
    Limiter fixed = Limiter.of("exports", 2);
    assertThat(fixed.tryAcquire()).isTrue();
    assertThat(fixed.tryAcquire()).isTrue();

    LimitExceededException e = catchThrowableOfType(LimitExceededException.class, fixed::acquire);
    fixed.onSuccess(5 * MS);
    fixed.onDropped();

    assertThat(e.getMessage())
        .isEqualTo("Limiter 'exports' is full (2 of 2 permits in use); call not permitted");
    assertThat(e.limit()).isEqualTo(2);
    assertThat(fixed.algorithm()).isEqualTo("fixed");
    assertThat(fixed.limit()).isEqualTo(2);
    assertThat(fixed.inFlight()).isZero();
  }

  @Test
  void samplesWithoutAPermit_areRefused_andANegativeLatencyGivesThePermitBack() {
    Limiter a = Limiter.builder("a").aimd().build();
    assertThatThrownBy(() -> a.onSuccess(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Limiter 'a': release without a permit");
    assertThatThrownBy(a::onDropped).isInstanceOf(IllegalStateException.class);
    assertThat(a.tryAcquire()).isTrue();

    assertThatThrownBy(() -> a.onSuccess(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("latencyNanos must be >= 0, was -1 (limiter 'a')");
    assertThat(a.inFlight()).isZero();
    assertThat(a.limit()).isEqualTo(20);
  }

  @Test
  void aZeroLatency_isASampleOfOneNanosecond() {
    Limiter v = Limiter.builder("v").vegas(s -> s.initialLimit(10)).build();

    busy(v, 20, 0);

    assertThat(v.limit()).as("no queue: grows").isGreaterThan(10);
  }

  // ---------------------------------------------------------------- the board

  @Test
  void theBoard_createsAnAdaptiveLimiterOnce_andListsItWithTheFixedOnes() {
    Breakers board = Breakers.create();
    Limiter search = board.adaptiveLimiter("search");
    Limiter exports = board.limiter("exports", 4);

    assertThat(board.adaptiveLimiter("search")).isSameAs(search);
    assertThat(search.algorithm()).isEqualTo("gradient2");
    assertThat(board.limiters())
        .containsExactly(
            java.util.Map.entry("exports", exports), java.util.Map.entry("search", search));
    assertThat(board.toString()).contains("limiters=[exports, search]");
    assertThatThrownBy(() -> board.adaptiveLimiter("exports"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limiter 'exports' has 4 fixed permits, was asked for an adaptive one");
    assertThatThrownBy(() -> board.limiter("search", 20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limiter 'search' is adaptive (gradient2), was asked for 20 fixed permits");
    assertThatThrownBy(() -> board.adaptiveLimiter(null)).hasMessage("name must not be null");
    assertThatThrownBy(() -> board.adaptiveLimiter(" "))
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> board.limiters().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(List.copyOf(board.limiters().values())).hasSize(2);
  }
}
