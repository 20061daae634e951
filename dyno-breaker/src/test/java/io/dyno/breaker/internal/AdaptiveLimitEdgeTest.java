package io.dyno.breaker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link AdaptiveLimit}: whatever is folded in while another thread holds the lock, successes
 * alone, drops alone, or a sample that arrives while the holder applies the pending ones, is
 * applied before the holder returns, and the listener hears of every change.
 */
class AdaptiveLimitEdgeTest {

  private static final long WAIT_SECONDS = 30;

  /**
   * Adds one to the limit per sample and records each; blocks inside the update numbered in {@code
   * gates} (from 1) until that gate opens, after counting down its {@code entered} latch.
   */
  private static final class Gated extends LimitAlgorithm {
    final List<String> seen = new ArrayList<>();
    final CountDownLatch[] entered;
    final CountDownLatch[] gates;

    Gated(int blockingUpdates) {
      entered = new CountDownLatch[blockingUpdates];
      gates = new CountDownLatch[blockingUpdates];
      for (int i = 0; i < blockingUpdates; i++) {
        entered[i] = new CountDownLatch(1);
        gates[i] = new CountDownLatch(1);
      }
    }

    @Override
    public String name() {
      return "gated";
    }

    @Override
    public int initialLimit() {
      return 10;
    }

    @Override
    public int update(long rttNanos, int inflight, boolean dropped, int limit) {
      int index = seen.size();
      seen.add(rttNanos + "/" + inflight + (dropped ? "/drop" : ""));
      if (index < gates.length) {
        entered[index].countDown();
        try {
          assertThat(gates[index].await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return limit + 1;
    }

    void awaitEntered(int update) throws InterruptedException {
      assertThat(entered[update - 1].await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    void open(int update) {
      gates[update - 1].countDown();
    }
  }

  private static Thread holder(AdaptiveLimit limit) {
    Thread holder = new Thread(() -> limit.sample(10, 1, false), "holder");
    holder.start();
    return holder;
  }

  private static void join(Thread holder) throws InterruptedException {
    holder.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertThat(holder.isAlive()).isFalse();
  }

  @Test
  void successesAloneFoldedWhileTheLockIsHeld_areAppliedByTheHolder() throws Exception {
    Gated algorithm = new Gated(1);
    List<String> changes = new ArrayList<>();
    AdaptiveLimit limit = new AdaptiveLimit(algorithm, (p, n) -> changes.add(p + "->" + n));
    Thread holder = holder(limit);
    algorithm.awaitEntered(1);

    limit.sample(20, 3, false);
    limit.sample(40, 2, false);
    assertThat(limit.limit()).isEqualTo(10);

    algorithm.open(1);
    join(holder);

    assertThat(algorithm.seen).containsExactly("10/1", "30/3", "30/3");
    assertThat(limit.limit()).isEqualTo(13);
    assertThat(changes).containsExactly("10->13");
  }

  @Test
  void aDropAloneFoldedWhileTheLockIsHeld_isAppliedByTheHolder() throws Exception {
    Gated algorithm = new Gated(1);
    List<String> changes = new ArrayList<>();
    AdaptiveLimit limit = new AdaptiveLimit(algorithm, (p, n) -> changes.add(p + "->" + n));
    Thread holder = holder(limit);
    algorithm.awaitEntered(1);

    limit.sample(500, 7, true);

    algorithm.open(1);
    join(holder);

    assertThat(algorithm.seen).containsExactly("10/1", "1/7/drop");
    assertThat(limit.limit()).isEqualTo(12);
    assertThat(changes).containsExactly("10->12");
  }

  @Test
  void aSampleFoldedWhileTheHolderAppliesThePendingOnes_isAppliedBeforeItReturns_andTold()
      throws Exception {
    Gated algorithm = new Gated(2);
    List<String> changes = new ArrayList<>();
    AdaptiveLimit limit = new AdaptiveLimit(algorithm, (p, n) -> changes.add(p + "->" + n));
    Thread holder = holder(limit);
    algorithm.awaitEntered(1);

    // Folded while the holder applies its own sample: it takes this one next.
    limit.sample(20, 2, false);
    algorithm.open(1);
    algorithm.awaitEntered(2);
    // Folded after the holder took the pending samples, while it still holds the lock.
    limit.sample(30, 3, false);
    assertThat(limit.limit()).isEqualTo(11);

    algorithm.open(2);
    join(holder);

    assertThat(algorithm.seen).containsExactly("10/1", "20/2", "30/3");
    assertThat(limit.limit()).isEqualTo(13);
    assertThat(changes).containsExactly("10->12", "12->13");
  }
}
