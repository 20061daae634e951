package io.dyno.breaker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.Race;
import io.dyno.testing.ThreadKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link AdaptiveLimit}: a thread that finds the lock taken never waits, its sample is folded into
 * the pending aggregate, and the holder applies it; no sample is lost under contention.
 */
class AdaptiveLimitTest {

  /** Records what it is fed; adds one to the limit per sample. */
  private static class Recording extends LimitAlgorithm {
    final List<String> seen = new ArrayList<>();
    long updates;
    long rttSum;

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public int initialLimit() {
      return 10;
    }

    @Override
    public int update(long rttNanos, int inflight, boolean dropped, int limit) {
      updates++;
      rttSum += rttNanos;
      if (seen.size() < 100) {
        seen.add(rttNanos + "/" + inflight + (dropped ? "/drop" : ""));
      }
      return limit + 1;
    }
  }

  @Test
  void samplesTakenWhileTheLockIsHeld_areFolded_andAppliedByTheHolderBeforeItLeaves()
      throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    Recording algorithm =
        new Recording() {
          @Override
          public int update(long rttNanos, int inflight, boolean dropped, int limit) {
            if (updates == 0) {
              entered.countDown();
              try {
                assertThat(proceed.await(30, TimeUnit.SECONDS)).isTrue();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return super.update(rttNanos, inflight, dropped, limit);
          }
        };
    List<String> changes = new ArrayList<>();
    AdaptiveLimit limit =
        new AdaptiveLimit(algorithm, (previous, now) -> changes.add(previous + "->" + now));
    Thread holder = new Thread(() -> limit.sample(10, 1, false), "holder");
    holder.start();
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

    // The lock is held: each of these returns at once, having folded its sample.
    limit.sample(20, 2, false);
    limit.sample(30, 4, false);
    limit.sample(0, 3, true);
    assertThat(limit.limit()).isEqualTo(10);

    proceed.countDown();
    holder.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(holder.isAlive()).isFalse();
    assertThat(algorithm.seen)
        .as("the holder's own sample, the two successes at their mean, then the drop")
        .containsExactly("10/1", "25/4", "25/4", "1/4/drop");
    assertThat(limit.limit()).isEqualTo(14);
    assertThat(changes).containsExactly("10->14");
  }

  @Test
  void aLatencyBelowOneNanosecond_isOne() {
    Recording algorithm = new Recording();
    AdaptiveLimit limit = new AdaptiveLimit(algorithm, (previous, now) -> {});

    limit.sample(0, 1, false);
    limit.sample(-5, 1, false);

    assertThat(algorithm.seen).containsExactly("1/1", "1/1");
    assertThat(limit.algorithm()).isEqualTo("recording");
    assertThat(limit).hasToString("recording limit 12");
  }

  @ParameterizedTest(name = "on {0} threads")
  @MethodSource("io.dyno.testing.ThreadKind#available")
  void underContention_everySampleIsApplied_once(ThreadKind kind) throws Exception {
    Recording algorithm = new Recording();
    AdaptiveLimit limit = new AdaptiveLimit(algorithm, (previous, now) -> {});
    int threads = 8;
    int samples = 10_000;

    Race.run(
        kind,
        threads,
        t -> {
          for (int i = 0; i < samples; i++) {
            limit.sample(1_000, t + 1, (i & 7) == 0);
          }
          return null;
        });

    long total = (long) threads * samples;
    long drops = (long) threads * (samples / 8);
    assertThat(algorithm.updates).isEqualTo(total);
    assertThat(algorithm.rttSum).isEqualTo((total - drops) * 1_000 + drops);
    assertThat(limit.limit()).isEqualTo(10 + total);
  }
}
