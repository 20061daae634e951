package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limit.AbstractLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The adaptive limits against Netflix concurrency-limits 0.5.3 with equal settings and equal
 * samples: each sample is fed to a dyno {@link Limiter} through {@link Limiter#tryAcquire()} and
 * {@link Limiter#onSuccess(long)} / {@link Limiter#onDropped()}, holding as many permits as the
 * peer is told are in flight, and to the peer's limit directly. Gradient2 at a constant latency
 * follows the peer's path exactly; where dyno's Gradient2, Vegas and AIMD depart from the peer's
 * rules (a standing queue, a slower service, a spread of service times, a burst of losses, growth
 * per window), the tests show the difference.
 */
class LimiterPeerCrossCheckTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final int SAMPLES = 400;

  /** One call's latency, the share of the limit in flight with it, and whether it was lost. */
  private record Sample(long rttNanos, double load, boolean dropped) {}

  /** A constant latency of 10 ms; in flight between a third of the limit and all. */
  private static List<Sample> constant(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < SAMPLES; i++) {
      samples.add(new Sample(10 * MS, 0.3 + 0.7 * random.nextDouble(), false));
    }
    return samples;
  }

  /** Feeds both and returns the path of limits, after checking that it is the same. */
  private static List<Integer> feed(Limiter dyno, AbstractLimit peer, List<Sample> samples) {
    List<Integer> path = new ArrayList<>();
    assertThat(dyno.limit()).isEqualTo(peer.getLimit());
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      int inflight = Math.max(1, (int) Math.round(s.load() * dyno.limit()));
      for (int p = 0; p < inflight; p++) {
        assertThat(dyno.tryAcquire()).isTrue();
      }
      if (s.dropped()) {
        dyno.onDropped();
      } else {
        dyno.onSuccess(s.rttNanos());
      }
      peer.onSample(0L, s.rttNanos(), inflight, s.dropped());
      for (int p = 1; p < inflight; p++) {
        dyno.release();
      }
      assertThat(dyno.limit()).as("limit after sample %d, %s", i, s).isEqualTo(peer.getLimit());
      path.add(dyno.limit());
    }
    assertThat(dyno.inFlight()).isZero();
    return path;
  }

  @Test
  void gradient2_followsThePeersPath() {
    Limiter dyno =
        Limiter.builder("g2")
            .gradient2(
                g ->
                    g.initialLimit(20)
                        .minLimit(5)
                        .maxLimit(200)
                        .queueSize(4)
                        .smoothing(0.2)
                        .rttTolerance(1.5)
                        .longWindow(600))
            .build();
    Gradient2Limit peer =
        Gradient2Limit.newBuilder()
            .initialLimit(20)
            .minLimit(5)
            .maxConcurrency(200)
            .queueSize(4)
            .smoothing(0.2)
            .rttTolerance(1.5)
            .longWindow(600)
            .build();

    List<Integer> path = feed(dyno, peer, constant(21));

    assertThat(path.get(SAMPLES - 1)).isGreaterThan(path.get(0));
  }

  @Test
  void gradient2_withItsDefaults_followsThePeersDefaults() {
    feed(Limiter.adaptive("g2"), Gradient2Limit.newDefault(), constant(7));
  }

  @Test
  void gradient2_withAShortWindowAndFullSmoothing_followsThePeer() {
    Limiter dyno =
        Limiter.builder("g2")
            .gradient2(g -> g.minLimit(1).maxLimit(80).smoothing(1.0).longWindow(20))
            .build();
    Gradient2Limit peer =
        Gradient2Limit.newBuilder()
            .minLimit(1)
            .maxConcurrency(80)
            .smoothing(1.0)
            .longWindow(20)
            .build();

    feed(dyno, peer, constant(3));
  }

  /**
   * Feeds {@code n} samples of a saturated backend of 20 calls at a time: the whole limit in
   * flight, and a latency of {@code serviceNanos} times the limit over 20 once the limit is above
   * 20 (the calls beyond 20 queue). Returns the limits.
   */
  private static int[] saturated(Limiter dyno, AbstractLimit peer, long serviceNanos, int n) {
    for (int i = 0; i < n; i++) {
      int d = dyno.limit();
      for (int p = 0; p < d; p++) {
        assertThat(dyno.tryAcquire()).isTrue();
      }
      dyno.onSuccess(serviceNanos * Math.max(20, d) / 20);
      for (int p = 1; p < d; p++) {
        dyno.release();
      }
      int q = peer.getLimit();
      peer.onSample(0L, serviceNanos * Math.max(20, q) / 20, q, false);
    }
    return new int[] {dyno.limit(), peer.getLimit()};
  }

  private static Gradient2Limit peerGradient2() {
    return Gradient2Limit.newBuilder()
        .initialLimit(20)
        .minLimit(5)
        .maxConcurrency(200)
        .queueSize(4)
        .smoothing(0.2)
        .rttTolerance(1.5)
        .longWindow(600)
        .build();
  }

  private static Limiter dynoGradient2() {
    return Limiter.builder("g2")
        .gradient2(
            g ->
                g.initialLimit(20)
                    .minLimit(5)
                    .maxLimit(200)
                    .queueSize(4)
                    .smoothing(0.2)
                    .rttTolerance(1.5)
                    .longWindow(600))
        .build();
  }

  @Test
  void gradient2_underASustainedQueue_keepsItBounded_whereThePeersDrifts() {
    Limiter dyno = dynoGradient2();
    Gradient2Limit peer = peerGradient2();

    int[] limits = saturated(dyno, peer, 10 * MS, 20_000);

    // The queue is the limit minus 20: the tolerance of 1.5 allows about 10 ms of it.
    assertThat(limits[0]).isBetween(20, 45);
    assertThat(limits[1]).isGreaterThan(100);
  }

  @Test
  void gradient2_followsAServiceThatGotSlowerForGood_backToAFullBackend() {
    Limiter dyno = dynoGradient2();
    Gradient2Limit peer = peerGradient2();
    saturated(dyno, peer, 10 * MS, 5_000);

    int[] limits = saturated(dyno, peer, 30 * MS, 20_000);

    // At 30 ms the backend still serves 20 at a time: a limit below 20 would leave it idle.
    assertThat(limits[0]).isBetween(20, 45);
  }

  /**
   * Feeds {@code n} samples of a saturated backend of 20 calls at a time whose service times spread
   * between 8 and 12 ms: the whole limit in flight, the calls beyond 20 queue. Returns the share of
   * the last half of the samples taken with the limit below 20, when the backend had room to spare.
   */
  private static double[] spread(Limiter dyno, AbstractLimit peer, int n) {
    SplittableRandom random = new SplittableRandom(42);
    double[] sums = new double[2];
    for (int i = 0; i < n; i++) {
      long service = 8 * MS + random.nextLong(4 * MS);
      int d = dyno.limit();
      for (int p = 0; p < d; p++) {
        assertThat(dyno.tryAcquire()).isTrue();
      }
      dyno.onSuccess(service * Math.max(20, d) / 20);
      for (int p = 1; p < d; p++) {
        dyno.release();
      }
      int q = peer.getLimit();
      peer.onSample(0L, service * Math.max(20, q) / 20, q, false);
      if (i >= n / 2) {
        sums[0] += d < 20 ? 1 : 0;
        sums[1] += q < 20 ? 1 : 0;
      }
    }
    return new double[] {sums[0] / (n - n / 2), sums[1] / (n - n / 2)};
  }

  @Test
  void vegas_underASpreadOfServiceTimes_keepsTheBackendFull_whereThePeerSettlesBelowIt() {
    // No probe within the samples, as the peer draws its probe's jitter from a random it owns.
    Limiter dyno =
        Limiter.builder("v")
            .vegas(v -> v.initialLimit(20).maxLimit(1000).probeMultiplier(100_000))
            .build();
    VegasLimit peer =
        VegasLimit.newBuilder()
            .initialLimit(20)
            .maxConcurrency(1000)
            .probeMultiplier(100_000)
            .build();

    double[] idle = spread(dyno, peer, 20_000);

    assertThat(idle[0]).isZero();
    assertThat(idle[1]).isGreaterThan(0.1);
  }

  @Test
  void aimd_backsOffOncePerWindow_whereThePeerBacksOffPerLoss() {
    Limiter dyno =
        Limiter.builder("a").aimd(a -> a.initialLimit(20).minLimit(5).maxLimit(200)).build();
    AIMDLimit peer = AIMDLimit.newBuilder().initialLimit(20).minLimit(5).maxLimit(200).build();

    for (int i = 0; i < 20; i++) {
      assertThat(dyno.tryAcquire()).isTrue();
    }
    for (int i = 0; i < 20; i++) {
      dyno.onDropped();
      peer.onSample(0L, 0L, 20 - i, true);
    }

    assertThat(dyno.limit()).as("(int) (20 * 0.9), once").isEqualTo(18);
    assertThat(peer.getLimit()).as("0.9 per loss, down to its minimum").isEqualTo(5);
  }

  @Test
  void aimd_growsByOnePerWindow_whereThePeerGrowsByOnePerSuccess() {
    Limiter dyno =
        Limiter.builder("a").aimd(a -> a.initialLimit(20).minLimit(5).maxLimit(200)).build();
    AIMDLimit peer = AIMDLimit.newBuilder().initialLimit(20).minLimit(5).maxLimit(200).build();

    // One round trip at the limit: 20 calls in flight, each answering fast and replaced at once.
    for (int i = 0; i < 20; i++) {
      assertThat(dyno.tryAcquire()).isTrue();
    }
    for (int i = 0; i < 20; i++) {
      dyno.onSuccess(10 * MS);
      peer.onSample(0L, 10 * MS, 20, false);
      assertThat(dyno.tryAcquire()).isTrue();
    }

    assertThat(dyno.limit()).as("one more per round trip, as TCP's window").isEqualTo(21);
    assertThat(peer.getLimit()).as("one more per success: doubled in one round trip").isEqualTo(40);
  }
}
