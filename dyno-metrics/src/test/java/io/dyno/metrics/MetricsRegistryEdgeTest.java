package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeClock;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link MetricsRegistry} at its edges: the factory runs once per name, a lost race hands back the
 * winner, and every metric that fails to read is named.
 */
class MetricsRegistryEdgeTest {

  @Test
  void metrics_runsTheFactoryOnlyOnFirstUseOfAName() {
    AtomicInteger made = new AtomicInteger();
    MetricsRegistry board =
        MetricsRegistry.create(
            name -> {
              made.incrementAndGet();
              return Metrics.of(name);
            });

    Metrics a = board.metrics("a");
    assertThat(board.metrics("a")).isSameAs(a);
    assertThat(board.metrics("a")).isSameAs(a);

    assertThat(made.get()).isEqualTo(1);
  }

  @Test
  void aThreadThatLosesTheRaceForAName_getsTheWinnersInstance_andNoSecondAddition()
      throws Exception {
    CountDownLatch firstInFactory = new CountDownLatch(1);
    CountDownLatch secondDone = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    MetricsRegistry board =
        MetricsRegistry.create(
            name -> {
              if (calls.incrementAndGet() == 1) {
                // The first caller is held in the factory until the second has put its instance.
                firstInFactory.countDown();
                try {
                  secondDone.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return Metrics.of(name);
            });
    List<Metrics> added = new ArrayList<>();
    board.onAdded(added::add);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Metrics> first = pool.submit(() -> board.metrics("a"));
      assertThat(firstInFactory.await(10, TimeUnit.SECONDS)).isTrue();
      Metrics winner = board.metrics("a");
      secondDone.countDown();

      assertThat(first.get(10, TimeUnit.SECONDS)).isSameAs(winner);
      assertThat(board.all()).containsExactly(winner);
      assertThat(added).containsExactly(winner);
      assertThat(calls.get()).isEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void read_namesEveryMetricThatFailed_inOrder_besideTheOnesThatRead() {
    Clock broken = CallbackClock.breaking(() -> true);
    MetricsRegistry board =
        MetricsRegistry.create(
            name ->
                name.startsWith("bad")
                    ? Metrics.builder(name).clock(broken).build()
                    : Metrics.builder(name).clock(FakeClock.at(Instant.EPOCH)).build());
    board.metrics("bad-1");
    board.metrics("good");
    board.metrics("bad-2");
    board.metrics("bad-3");

    MetricsRegistry.Reading reading = board.read();

    assertThat(reading.failed()).containsExactly("bad-1", "bad-2", "bad-3");
    assertThat(reading.snapshots()).extracting(MetricsSnapshot::name).containsExactly("good");
    assertThat(board.read().failed()).as("read again").containsExactly("bad-1", "bad-2", "bad-3");
  }

  @Test
  void aMetricThatKeepsFailing_isLoggedOncePerSpellOfFailing() throws Exception {
    AtomicBoolean broken = new AtomicBoolean(true);
    Clock flaky = CallbackClock.breaking(broken::get);
    MetricsRegistry board =
        MetricsRegistry.create(
            name ->
                name.equals("flaky")
                    ? Metrics.builder(name).clock(flaky).build()
                    : Metrics.builder(name).clock(FakeClock.at(Instant.EPOCH)).build());
    board.metrics("flaky");
    board.metrics("good");
    String firstSpell =
        StandardError.during(
            () -> {
              board.read();
              board.read();
              board.read();
              broken.set(false);
              assertThat(board.read().failed()).isEmpty();
            });
    broken.set(true);
    String secondSpell =
        StandardError.during(
            () -> {
              board.read();
              board.read();
            });

    String warning = "MetricsRegistry: snapshot of Metrics[name=flaky,";
    assertThat(firstSpell.split(java.util.regex.Pattern.quote(warning), -1)).hasSize(2);
    assertThat(firstSpell).contains("WARN", "clock broke").doesNotContain("Metrics[name=good");
    assertThat(secondSpell.split(java.util.regex.Pattern.quote(warning), -1))
        .as("logged again once it failed again after reading")
        .hasSize(2);
  }
}
