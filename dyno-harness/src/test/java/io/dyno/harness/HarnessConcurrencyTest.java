package io.dyno.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Eight threads failing at once: no count lost, no failure logged twice or never. */
class HarnessConcurrencyTest {

  private static final int THREADS = 8;
  private static final int PER_THREAD = 5_000;
  private static final Pattern SUMMARY = Pattern.compile("Harness 'payments': ([\\d,]+) more .*");

  private final RecordingLogger log = new RecordingLogger();
  private final LongAdder heard = new LongAdder();

  @Test
  void eightThreadsFailingAtOnce_loseNoCount() throws Exception {
    FakeClock time = FakeClock.at(Instant.EPOCH); // frozen: the whole contention is one window
    Harness h = harness(time);
    runTogether(h, () -> {});
    h.logSummaries();

    long total = (long) THREADS * PER_THREAD;
    assertThat(h.failures()).isEqualTo(total);
    assertThat(h.failuresByType())
        .containsOnly(
            Map.entry(IOException.class, total / 2),
            Map.entry(IllegalStateException.class, total / 2));
    assertThat(heard.sum()).isEqualTo(total);
    assertThat(h.recent()).hasSize(50);
    // One window, two kinds: each logged once in full, then one summary of everything else.
    assertThat(log.messages())
        .containsExactlyInAnyOrder(
            "Harness 'payments': call failed: java.io.IOException: reset",
            "Harness 'payments': call failed: java.lang.IllegalStateException: bad state",
            "Harness 'payments': 19,999 more java.io.IOException: reset in the last 0 ns",
            "Harness 'payments': 19,999 more java.lang.IllegalStateException: bad state in the last"
                + " 0 ns");
  }

  @Test
  void eightThreadsFailingWhileTimeMoves_reportEveryFailureExactlyOnce() throws Exception {
    FakeClock time = FakeClock.at(Instant.EPOCH);
    Harness h = harness(time);
    // Every failure moves time on by 1 ms: 40 s of failures, and windows of 1 s close under
    // contention.
    runTogether(h, () -> time.advance(Duration.ofMillis(1)));
    h.logSummaries();

    long total = (long) THREADS * PER_THREAD;
    assertThat(h.failures()).isEqualTo(total);
    assertThat(heard.sum()).isEqualTo(total);
    long fullLines = 0;
    long summarized = 0;
    for (String message : log.messages()) {
      Matcher summary = SUMMARY.matcher(message);
      if (summary.matches()) {
        summarized += Long.parseLong(summary.group(1).replace(",", ""));
      } else {
        fullLines++;
      }
    }
    assertThat(fullLines + summarized)
        .as("every failure logged or summarized once")
        .isEqualTo(total);
    // Each kind fails every few milliseconds, so neither is ever quiet for a whole interval: one
    // full line each, and summaries for the rest.
    assertThat(fullLines).isEqualTo(2);
  }

  private Harness harness(FakeClock time) {
    return Harness.builder("payments")
        .logger(log)
        .clock(time)
        .ticker(time.ticker())
        .summaryInterval(Duration.ofSeconds(1))
        .keepRecent(50)
        .onFailure(f -> heard.increment())
        .build();
  }

  /** Releases eight threads at once, each failing PER_THREAD times and succeeding as often. */
  private static void runTogether(Harness h, Runnable eachFailure) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < PER_THREAD; i++) {
                    Throwable failure =
                        i % 2 == 0
                            ? new IOException("reset")
                            : new IllegalStateException("bad state");
                    eachFailure.run();
                    Sneaky.failThrough(h, failure);
                    assertThat(h.call(() -> "ok")).isEqualTo("ok");
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
