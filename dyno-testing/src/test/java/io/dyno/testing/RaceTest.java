package io.dyno.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RaceTest {

  @ParameterizedTest(name = "on {0} threads")
  @MethodSource("io.dyno.testing.ThreadKind#available")
  void run_returnsEachContendersResultInIndexOrder_onThreadsOfTheKind(ThreadKind kind)
      throws Exception {
    List<String> results = Race.run(kind, 4, i -> i + ":" + ThreadKind.of(Thread.currentThread()));
    assertThat(results).containsExactly("0:" + kind, "1:" + kind, "2:" + kind, "3:" + kind);
  }

  @ParameterizedTest(name = "on {0} threads")
  @MethodSource("io.dyno.testing.ThreadKind#available")
  void run_releasesAllContendersTogether(ThreadKind kind) throws Exception {
    int threads = 8;
    CountDownLatch allIn = new CountDownLatch(threads);
    // Each contender waits until every other one has begun its part: only a race that releases
    // them together, each on its own thread, finishes.
    List<Boolean> met =
        Race.run(
            kind,
            threads,
            i -> {
              allIn.countDown();
              return allIn.await(10, TimeUnit.SECONDS);
            });
    assertThat(met).containsOnly(true).hasSize(threads);
  }

  @Test
  void run_keepsANullResult() throws Exception {
    assertThat(Race.run(ThreadKind.PLATFORM, 2, i -> i == 0 ? null : "one"))
        .containsExactly(null, "one");
  }

  @Test
  void run_whenContendersFail_failsWithTheFirstAndSuppressesTheRest() {
    IllegalStateException boom = new IllegalStateException("boom");
    assertThatThrownBy(
            () ->
                Race.run(
                    ThreadKind.PLATFORM,
                    3,
                    i -> {
                      if (i == 0) {
                        return "fine";
                      }
                      throw i == 1 ? boom : new IllegalArgumentException("second");
                    }))
        .isInstanceOf(AssertionError.class)
        .hasMessage("contender 1 of 3 failed: java.lang.IllegalStateException: boom")
        .hasCause(boom)
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .singleElement()
                    .isInstanceOf(IllegalArgumentException.class));
  }

  @Test
  void run_thatHangs_timesOut_namingAndInterruptingTheContendersStillRunning() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    AtomicInteger interrupted = new AtomicInteger();
    CountDownLatch stopped = new CountDownLatch(2);
    assertThatThrownBy(
            () ->
                Race.run(
                    ThreadKind.PLATFORM,
                    3,
                    Duration.ofSeconds(1),
                    i -> {
                      if (i == 0) {
                        return 0;
                      }
                      try {
                        never.await();
                      } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                      } finally {
                        stopped.countDown();
                      }
                      return i;
                    }))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "race of 3 contenders timed out after PT1S: 2 did not finish (contenders [1, 2])");
    assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(interrupted).hasValue(2);
  }

  @Test
  void run_thatTimesOut_withManyStuck_namesTheFirstTen() {
    CountDownLatch never = new CountDownLatch(1);
    assertThatThrownBy(
            () ->
                Race.run(
                    ThreadKind.PLATFORM,
                    12,
                    Duration.ofSeconds(1),
                    i -> {
                      if (i > 0) {
                        never.await();
                      }
                      return i;
                    }))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "race of 12 contenders timed out after PT1S: 11 did not finish"
                + " (contenders [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] and 1 more)");
  }

  @Test
  void run_refusesBadArguments_namingThem() {
    assertThatThrownBy(() -> Race.run(ThreadKind.PLATFORM, 0, i -> i))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("threads must be between 1 and 100000, was 0");
    assertThatThrownBy(() -> Race.run(ThreadKind.PLATFORM, 100_001, i -> i))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("threads must be between 1 and 100000, was 100001");
    assertThatThrownBy(() -> Race.run(ThreadKind.PLATFORM, 1, Duration.ZERO, i -> i))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be positive, was PT0S");
    assertThatThrownBy(() -> Race.run(ThreadKind.PLATFORM, 1, Duration.ofSeconds(-1), i -> i))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be positive, was PT-1S");
    assertThatThrownBy(() -> Race.run(null, 1, i -> i))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("kind must not be null");
  }
}
