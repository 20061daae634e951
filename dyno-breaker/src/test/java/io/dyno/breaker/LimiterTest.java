package io.dyno.breaker;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Limiter}: a full limiter rejects at once, and permits always come back. */
class LimiterTest {

  @Test
  void fullLimiter_rejectsAtOnce_withoutRunningTheWork() throws Exception {
    Limiter limiter = Limiter.of("exports", 2);
    try (Limiter.Permit a = limiter.acquire();
        Limiter.Permit b = limiter.acquire()) {
      assertThat(a).isNotSameAs(b);
      assertThat(limiter.available()).isZero();
      LimitExceededException e =
          catchThrowableOfType(LimitExceededException.class, () -> limiter.call(() -> "x"));
      assertThat(e.limiterName()).isEqualTo("exports");
      assertThat(e.permits()).isEqualTo(2);
      assertThat(e.getMessage())
          .isEqualTo("Limiter 'exports' is full (2 of 2 permits in use); call not permitted");
      assertThatThrownBy(() -> limiter.get(() -> "x")).isInstanceOf(LimitExceededException.class);
      assertThatThrownBy(() -> limiter.run(() -> {})).isInstanceOf(LimitExceededException.class);
      assertThatThrownBy(limiter::acquire).isInstanceOf(LimitExceededException.class);
      assertThat(limiter.tryAcquire()).isFalse();
      assertThat(limiter.toString()).isEqualTo("Limiter[exports, 2 of 2 in use]");
    }
    assertThat(limiter.inUse()).isZero();
  }

  @Test
  void permits_areReleased_afterSuccessFailureAndErrors() throws Exception {
    Limiter limiter = Limiter.of("exports", 1, false);
    assertThat(limiter.call(() -> "ok")).isEqualTo("ok");
    assertThat(limiter.get(() -> 1)).isEqualTo(1);
    limiter.run(() -> {});
    IOException failure = new IOException("disk full");
    assertThatThrownBy(
            () ->
                limiter.call(
                    () -> {
                      throw failure;
                    }))
        .isSameAs(failure);
    AssertionError error = new AssertionError("broken");
    assertThatThrownBy(
            () ->
                limiter.run(
                    () -> {
                      throw error;
                    }))
        .isSameAs(error);
    assertThat(limiter.inUse()).isZero();
    assertThat(limiter.permits()).isEqualTo(1);
    assertThat(limiter.name()).isEqualTo("exports");
    LimitExceededException e;
    try (Limiter.Permit p = limiter.acquire()) {
      assertThat(p).isNotNull();
      e = catchThrowableOfType(LimitExceededException.class, limiter::acquire);
    }
    assertThat(e.getStackTrace()).isEmpty();
  }

  @Test
  void permit_closedTwice_releasesOnce() {
    Limiter limiter = Limiter.of("exports", 2);
    Limiter.Permit held = limiter.acquire();
    Limiter.Permit p = limiter.acquire();
    p.close();
    p.close();
    assertThat(limiter.inUse()).isEqualTo(1);
    held.close();
  }

  @Test
  void release_withoutAPermit_fails() {
    Limiter limiter = Limiter.of("exports", 1);
    assertThatThrownBy(limiter::release)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Limiter 'exports': release without a permit");
    assertThat(limiter.tryAcquire()).isTrue();
    limiter.release();
  }

  @Test
  void badInput_failsAtOnce() {
    assertThatThrownBy(() -> Limiter.of("exports", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("permits must be >= 1, was 0");
    assertThatThrownBy(() -> Limiter.of(null, 1)).hasMessage("name");
    assertThatThrownBy(() -> Limiter.of("", 1)).hasMessage("name must not be blank, was ''");
    Limiter limiter = Limiter.of("exports", 1);
    assertThatThrownBy(() -> limiter.call(null)).hasMessage("callable");
    assertThatThrownBy(() -> limiter.get(null)).hasMessage("supplier");
    assertThatThrownBy(() -> limiter.run(null)).hasMessage("runnable");
  }

  @Test
  void eightThreads_neverRunMoreThanThePermits_andGiveEveryPermitBack() throws Exception {
    Limiter limiter = Limiter.of("shared", 3);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    int threads = 8;
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<int[]>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  if (!go.await(10, SECONDS)) {
                    throw new AssertionError("not released");
                  }
                  int ran = 0;
                  int refused = 0;
                  for (int i = 0; i < 20_000; i++) {
                    try {
                      limiter.run(
                          () -> {
                            most.accumulateAndGet(running.incrementAndGet(), Math::max);
                            running.decrementAndGet();
                            if ((running.get() & 1) == 1) {
                              throw new IllegalStateException("failures release too");
                            }
                          });
                      ran++;
                    } catch (LimitExceededException e) {
                      refused++;
                    } catch (IllegalStateException expected) {
                      ran++;
                    }
                  }
                  return new int[] {ran, refused};
                }));
      }
      assertThat(ready.await(10, SECONDS)).isTrue();
      go.countDown();
      int total = 0;
      for (Future<int[]> f : results) {
        int[] counts = f.get(30, SECONDS);
        total += counts[0] + counts[1];
      }
      assertThat(total).isEqualTo(threads * 20_000);
      assertThat(most.get()).isBetween(1, 3);
      assertThat(limiter.inUse()).isZero();
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, SECONDS)).isTrue();
    }
  }
}
