package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limit.AbstractLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The adaptive limits follow the same path as Netflix concurrency-limits 0.5.3 with equal settings
 * and equal samples: each sample is fed to a dyno {@link Limiter} through {@link
 * Limiter#tryAcquire()} and {@link Limiter#onSuccess(long)} / {@link Limiter#onDropped()}, holding
 * as many permits as the peer is told are in flight, and to the peer's limit directly.
 */
class LimiterPeerCrossCheckTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final int SAMPLES = 400;

  /** Low latency, then high, then low again; in flight between a third of the limit and all. */
  private record Sample(long rttNanos, double load, boolean dropped) {}

  private static List<Sample> samples(long seed, double dropRate) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < SAMPLES; i++) {
      long base = i < 150 || i >= 280 ? 10 * MS : 40 * MS;
      long rtt = base + random.nextLong(3 * MS);
      double load = 0.3 + 0.7 * random.nextDouble();
      samples.add(new Sample(rtt, load, random.nextDouble() < dropRate));
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

  /** The path grew in the first low phase, fell in the high one and grew again after it. */
  private static void assertMovesBothWays(List<Integer> path) {
    assertThat(path.get(149)).isGreaterThan(path.get(0));
    assertThat(path.get(279)).isLessThan(path.get(149));
    assertThat(path.get(SAMPLES - 1)).isGreaterThan(path.get(279));
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

    List<Integer> path = feed(dyno, peer, samples(21, 0));

    assertMovesBothWays(path);
  }

  @Test
  void gradient2_withItsDefaults_followsThePeersDefaults() {
    feed(Limiter.adaptive("g2"), Gradient2Limit.newDefault(), samples(7, 0));
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

    feed(dyno, peer, samples(3, 0));
  }

  @Test
  void vegas_followsThePeersPath() {
    // No probe within the samples, as the peer draws its probe's jitter from a random it owns.
    Limiter dyno =
        Limiter.builder("v")
            .vegas(v -> v.initialLimit(20).maxLimit(1000).smoothing(1.0).probeMultiplier(1000))
            .build();
    VegasLimit peer =
        VegasLimit.newBuilder()
            .initialLimit(20)
            .maxConcurrency(1000)
            .smoothing(1.0)
            .probeMultiplier(1000)
            .build();

    assertMovesBothWays(feed(dyno, peer, samples(5, 0)));
  }

  @Test
  void vegas_withFixedAlphaBetaAndSmoothing_followsThePeersPath() {
    Limiter dyno =
        Limiter.builder("v")
            .vegas(
                v ->
                    v.initialLimit(10)
                        .maxLimit(300)
                        .smoothing(0.5)
                        .alpha(3)
                        .beta(6)
                        .threshold(2)
                        .probeMultiplier(1000))
            .build();
    VegasLimit peer =
        VegasLimit.newBuilder()
            .initialLimit(10)
            .maxConcurrency(300)
            .smoothing(0.5)
            .alpha(3)
            .beta(6)
            .thresholdFunction(limit -> 2)
            .probeMultiplier(1000)
            .build();

    feed(dyno, peer, samples(11, 0));
  }

  @Test
  void aimd_followsThePeersPath_withDropsAndTimeouts() {
    Limiter dyno =
        Limiter.builder("a")
            .aimd(
                a ->
                    a.initialLimit(20)
                        .minLimit(5)
                        .maxLimit(200)
                        .backoffRatio(0.9)
                        .timeout(Duration.ofMillis(30)))
            .build();
    AIMDLimit peer =
        AIMDLimit.newBuilder()
            .initialLimit(20)
            .minLimit(5)
            .maxLimit(200)
            .backoffRatio(0.9)
            .timeout(30, TimeUnit.MILLISECONDS)
            .build();

    List<Integer> path = feed(dyno, peer, samples(13, 0.03));

    assertThat(path).contains(5);
    assertThat(path.stream().mapToInt(Integer::intValue).max().orElseThrow()).isGreaterThan(60);
  }

  @Test
  void aimd_withItsDefaults_followsThePeersDefaults() {
    feed(Limiter.builder("a").aimd().build(), AIMDLimit.newBuilder().build(), samples(17, 0.05));
  }
}
