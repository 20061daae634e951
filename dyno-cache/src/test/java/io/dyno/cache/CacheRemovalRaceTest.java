package io.dyno.cache;

import static io.dyno.cache.Latches.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * A key's node leaving the map, for expiry or for size, at the moment a reader claims it: each test
 * stops one side of the race at its critical point, lets the other side act, then sends a second
 * reader, and checks that at most one computation of the key runs at a time and that every read
 * returns the value of the one computation it shared.
 *
 * <p>The stops use only what a user can pass in: a key whose {@code hashCode()} blocks on the
 * thread that removes the node from the map (the removal hashes the key; the node does not, as it
 * keeps the hash it took when created), and a ticker that blocks a reader at the clock read that
 * comes between finding the key's node and claiming it. Time is the ticker's; no test sleeps.
 */
class CacheRemovalRaceTest {

  private static final long MS = 1_000_000L;
  private static final long WAIT_SECONDS = 10;

  private final PausingTicker ticker = new PausingTicker();
  private final AtomicInteger loads = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostRunning = new AtomicInteger();

  private Cache.Builder<Object, Object> builder() {
    return Cache.builder("removal")
        .ttl(Duration.ofSeconds(1))
        .ticker(ticker)
        .random(new FixedRandom(0.0)); // u = 1: XFetch never fires
  }

  /** A loader that counts the computations running at once and names its value by load number. */
  private Function<Object, String> loader(CountDownLatch started, CountDownLatch release) {
    return key -> {
      int n = running.incrementAndGet();
      mostRunning.accumulateAndGet(n, Math::max);
      try {
        started.countDown();
        await(release);
        return key + "-" + loads.incrementAndGet();
      } finally {
        running.decrementAndGet();
      }
    };
  }

  /** A loader that returns at once. */
  private Function<Object, String> loader() {
    CountDownLatch open = new CountDownLatch(0);
    return loader(open, open);
  }

  @Test
  void cleanUp_stoppedBetweenChoosingAnExpiredKeyAndRemovingIt_leavesReadersOneComputation()
      throws Exception {
    Cache<Object, String> cache = builder().build();
    PausingKey key = new PausingKey("k");
    assertThat(cache.get(key, loader())).isEqualTo("k-1");
    ticker.now.set(1000 * MS); // expired

    // The clean-up has chosen the node (the policy no longer counts it) and stops in the map's
    // removal of it, with the node still in the map.
    Worker cleanUp = new Worker(() -> cache.cleanUp());
    key.pauseOn(cleanUp.thread);
    cleanUp.start();
    await(key.paused);
    assertThat(cache.size()).isZero();

    // A reader of the expired key starts a computation; it must not be on the node that is leaving.
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Worker first = new Worker(() -> cache.get(key, loader(started, release)));
    first.start();
    await(started);

    key.resume.countDown();
    cleanUp.result();

    // The node is gone from the map; a second reader must find the first one's computation.
    Worker second = new Worker(() -> cache.get(key, loader()));
    second.start();
    second.awaitBlockedOrDone();
    release.countDown();

    Object firstValue = first.result();
    Object secondValue = second.result();
    assertThat(mostRunning).as("computations of k at once").hasValue(1);
    assertThat(loads).as("computations of k").hasValue(2);
    assertThat(firstValue).isEqualTo("k-2");
    assertThat(secondValue).isEqualTo("k-2");
    assertThat(cache.getIfPresent(key)).isEqualTo("k-2");
  }

  @Test
  void aReaderStoppedBetweenFindingAnExpiredKeyAndClaimingIt_whileCleanUpRemovesIt_computesNothing()
      throws Exception {
    Cache<Object, String> cache = builder().build();
    assertThat(cache.get("k", loader())).isEqualTo("k-1");
    ticker.now.set(1000 * MS); // expired

    // The reader misses (one clock read in get()), finds the node (miss() reads the clock to see
    // whether it became live meanwhile) and stops there, before its claim.
    Worker late = new Worker(() -> cache.get("k", loader()));
    ticker.pause(late.thread, 2);
    late.start();
    await(ticker.paused);
    assertThat(cache.stats().misses()).isEqualTo(2); // stopped inside miss(), not on the hit path

    cache.cleanUp();
    assertThat(cache.size()).isZero();

    // A second reader computes the key on its next node and holds the computation open.
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Worker computing = new Worker(() -> cache.get("k", loader(started, release)));
    computing.start();
    await(started);

    // The stopped reader goes on: the node it found is gone, so it must wait for that computation
    // rather than start one on the node that left.
    ticker.resume.countDown();
    late.awaitBlockedOrDone();
    release.countDown();

    Object computingValue = computing.result();
    Object lateValue = late.result();
    assertThat(mostRunning).as("computations of k at once").hasValue(1);
    assertThat(loads).as("computations of k").hasValue(2);
    assertThat(computingValue).isEqualTo("k-2");
    assertThat(lateValue).isEqualTo("k-2");
  }

  @Test
  void sizeEviction_whileAnExpiredKeyIsComputed_leavesItsNodeToTheComputation() throws Exception {
    Cache<Object, String> cache = builder().maximumSize(1).build();
    assertThat(cache.get("k", loader())).isEqualTo("k-1");
    ticker.now.set(1000 * MS); // expired

    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Worker computing = new Worker(() -> cache.get("k", loader(started, release)));
    computing.start();
    await(started);

    // j, read more often than k, is admitted: the cache is over its bound and k is the only other
    // entry, but its node belongs to the computation and stays.
    for (int i = 0; i < 20; i++) {
      cache.getIfPresent("j");
    }
    cache.put("j", "j");

    Worker second = new Worker(() -> cache.get("k", loader()));
    second.start();
    second.awaitBlockedOrDone();
    release.countDown();

    Object computingValue = computing.result();
    Object secondValue = second.result();
    assertThat(mostRunning).as("computations of k at once").hasValue(1);
    assertThat(loads).as("computations of k").hasValue(2);
    assertThat(computingValue).isEqualTo("k-2");
    assertThat(secondValue).isEqualTo("k-2");
  }

  @Test
  void sizeEviction_stoppedBetweenChoosingAVictimAndRemovingIt_startsNoRecomputationOnIt()
      throws Exception {
    // linear() with a draw of 0 recomputes early on every read of a value older than 0.
    Cache<Object, String> cache =
        builder().maximumSize(1).earlyRecompute(EarlyRecompute.linear()).build();
    PausingKey key = new PausingKey("k");
    assertThat(cache.get(key, loader())).isEqualTo("k-1");
    for (int i = 0; i < 20; i++) {
      cache.getIfPresent("j"); // makes j the more frequent key, so that k is the victim
    }

    // Admitting j evicts k for size; the eviction stops in the map's removal of k's node.
    Worker evicting = new Worker(() -> cache.put("j", "j"));
    key.pauseOn(evicting.thread);
    evicting.start();
    await(key.paused);
    assertThat(cache.size()).isEqualTo(1);

    // A reader still finds k's node, with a live value that is due for early recomputation; on a
    // node that is leaving, it must not start one.
    ticker.now.set(500 * MS);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Worker early = new Worker(() -> cache.get(key, loader(started, release)));
    early.start();
    early.awaitBlockedOrDone();

    key.resume.countDown();
    evicting.result();

    // k is gone: the next reader computes it, alone.
    Worker next = new Worker(() -> cache.get(key, loader()));
    next.start();
    next.awaitBlockedOrDone();
    release.countDown();

    Object earlyValue = early.result();
    Object nextValue = next.result();
    assertThat(mostRunning).as("computations of k at once").hasValue(1);
    assertThat(loads).as("computations of k").hasValue(2);
    assertThat(earlyValue).isEqualTo("k-1");
    assertThat(nextValue).isEqualTo("k-2");
  }

  /** A call on a thread of its own, so that the test can see when it blocks. */
  private static final class Worker {
    final Thread thread;
    private final CompletableFuture<Object> result = new CompletableFuture<>();

    Worker(Runnable call) {
      this(
          () -> {
            call.run();
            return "done";
          });
    }

    Worker(Callable<?> call) {
      this.thread =
          new Thread(
              () -> {
                try {
                  result.complete(call.call());
                } catch (Exception | Error e) {
                  result.completeExceptionally(e);
                }
              },
              "removal-race");
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    Object result() throws Exception {
      return result.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Returns once the thread is parked (waiting for a computation, or inside a loader held open)
     * or has finished. It polls the thread's state, as the JSR-166 TCK's {@code
     * waitForThreadToEnterWaitState} does: no state of the cache tells that a reader is waiting.
     */
    void awaitBlockedOrDone() {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      while (true) {
        Thread.State state = thread.getState();
        if (state == Thread.State.WAITING
            || state == Thread.State.TIMED_WAITING
            || state == Thread.State.TERMINATED) {
          return;
        }
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("still " + state + " after " + WAIT_SECONDS + " s");
        }
        Thread.onSpinWait();
      }
    }
  }

  /** A key that stops the given thread, once, when that thread hashes it. Equal only to itself. */
  private static final class PausingKey {
    private final String name;
    private final AtomicReference<Thread> pauseOn = new AtomicReference<>();
    final CountDownLatch paused = new CountDownLatch(1);
    final CountDownLatch resume = new CountDownLatch(1);

    PausingKey(String name) {
      this.name = name;
    }

    void pauseOn(Thread thread) {
      pauseOn.set(thread);
    }

    @Override
    public int hashCode() {
      if (pauseOn.compareAndSet(Thread.currentThread(), null)) {
        paused.countDown();
        await(resume);
      }
      return name.hashCode();
    }

    @Override
    public boolean equals(Object other) {
      return other == this;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * A ticker at a time the test sets, which can stop one thread at its n-th read: a race
   * instrument, whose time is a {@link FakeTicker}'s.
   */
  private static final class PausingTicker implements LongSupplier {
    final FakeTicker now = FakeTicker.create();
    private final AtomicReference<Thread> pauseOn = new AtomicReference<>();
    private final AtomicInteger readsLeft = new AtomicInteger();
    final CountDownLatch paused = new CountDownLatch(1);
    final CountDownLatch resume = new CountDownLatch(1);

    void pause(Thread thread, int atRead) {
      readsLeft.set(atRead);
      pauseOn.set(thread);
    }

    @Override
    public long getAsLong() {
      if (pauseOn.get() == Thread.currentThread() && readsLeft.decrementAndGet() == 0) {
        pauseOn.set(null);
        paused.countDown();
        await(resume);
      }
      return now.read();
    }
  }
}
