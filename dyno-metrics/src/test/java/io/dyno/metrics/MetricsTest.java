package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.testing.FakeClock;
import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@link Metrics}: the verbs, what they record, and the snapshot's derived values. */
class MetricsTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final FakeTicker now = FakeTicker.startingAt(1_000);
  private final Metrics metrics =
      Metrics.builder("payments").ticker(now).clock(FakeClock.at(T0)).build();

  /** Work that takes {@code millis} of ticker time and returns {@code value}. */
  private <T> Callable<T> taking(long millis, T value) {
    return () -> {
      now.advance(Duration.ofMillis(millis));
      return value;
    };
  }

  private <T> Callable<T> failingAfter(long millis, Exception failure) {
    return () -> {
      now.advance(Duration.ofMillis(millis));
      throw failure;
    };
  }

  @Test
  void call_success_returnsTheResultAndRecordsSuccessAndLatency() throws Exception {
    String result = metrics.call(taking(5, "ok"));

    MetricsSnapshot s = metrics.snapshot();
    assertThat(result).isEqualTo("ok");
    assertThat(s.successes()).isEqualTo(1);
    assertThat(s.requests()).isEqualTo(1);
    assertThat(s.failures()).isZero();
    assertThat(s.inFlight()).isZero();
    assertThat(s.maxInFlight()).isEqualTo(1);
    assertThat(s.latencyCount()).isEqualTo(1);
    // HdrHistogram keeps 3 significant digits.
    assertThat(s.latencyP50()).isBetween(Duration.ofNanos(4_995_000), Duration.ofNanos(5_005_000));
    assertThat(s.latencyMean()).isBetween(Duration.ofNanos(4_995_000), Duration.ofNanos(5_005_000));
    assertThat(s.name()).isEqualTo("payments");
    assertThat(s.time()).isEqualTo(T0);
  }

  @Test
  void call_failure_rethrowsTheSameInstanceAndCountsItByType() {
    IOException boom = new IOException("boom");

    Throwable thrown = catchThrowable(() -> metrics.call(failingAfter(3, boom)));

    MetricsSnapshot s = metrics.snapshot();
    assertThat(thrown).isSameAs(boom);
    assertThat(s.failures()).isEqualTo(1);
    assertThat(s.failuresByType()).containsExactly(Map.entry("java.io.IOException", 1L));
    assertThat(s.latencyCount()).isEqualTo(1);
    assertThat(s.inFlight()).isZero();
  }

  @Test
  void call_error_isRecordedAndRethrownUnchanged() {
    AssertionError error = new AssertionError("bug");

    Throwable thrown =
        catchThrowable(
            () ->
                metrics.call(
                    () -> {
                      throw error;
                    }));

    assertThat(thrown).isSameAs(error);
    assertThat(metrics.snapshot().failuresByType())
        .containsExactly(Map.entry("java.lang.AssertionError", 1L));
  }

  @Test
  void call_interrupted_passesTheExceptionOnAndKeepsTheInterruptVisible() {
    InterruptedException interrupt = new InterruptedException("stop");

    Throwable thrown = catchThrowable(() -> metrics.call(failingAfter(0, interrupt)));

    assertThat(thrown).isSameAs(interrupt);
    assertThat(Thread.interrupted()).as("interrupt flag, cleared here").isTrue();
    assertThat(metrics.snapshot().failures()).isEqualTo(1);
  }

  @Test
  void get_andRun_recordSuccessesAndFailures() {
    IllegalStateException bad = new IllegalStateException("bad");
    Supplier<String> failing =
        () -> {
          throw bad;
        };
    Runnable failingRun =
        () -> {
          throw bad;
        };

    assertThat(metrics.get(() -> "v")).isEqualTo("v");
    metrics.run(() -> {});
    assertThat(catchThrowable(() -> metrics.get(failing))).isSameAs(bad);
    assertThat(catchThrowable(() -> metrics.run(failingRun))).isSameAs(bad);

    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.successes()).isEqualTo(2);
    assertThat(s.failures()).isEqualTo(2);
    assertThat(s.failuresByType())
        .containsExactly(Map.entry("java.lang.IllegalStateException", 2L));
  }

  @Test
  void decorators_recordEachInvocation() throws Exception {
    IllegalArgumentException bad = new IllegalArgumentException("negative");
    Callable<Integer> callable = metrics.decorateCallable(() -> 1);
    Supplier<Integer> supplier = metrics.decorateSupplier(() -> 2);
    Runnable runnable = metrics.decorateRunnable(() -> {});
    Function<Integer, Integer> doubled =
        metrics.decorateFunction(
            x -> {
              if (x < 0) {
                throw bad;
              }
              return 2 * x;
            });

    assertThat(callable.call()).isEqualTo(1);
    assertThat(supplier.get()).isEqualTo(2);
    runnable.run();
    assertThat(doubled.apply(21)).isEqualTo(42);
    assertThat(catchThrowable(() -> doubled.apply(-1))).isSameAs(bad);

    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.successes()).isEqualTo(4);
    assertThat(s.failures()).isEqualTo(1);
  }

  @Test
  void verbs_rejectNullWork() {
    assertThatThrownBy(() -> metrics.call(null)).hasMessage("callable must not be null");
    assertThatThrownBy(() -> metrics.get(null)).hasMessage("supplier must not be null");
    assertThatThrownBy(() -> metrics.run(null)).hasMessage("runnable must not be null");
    assertThatThrownBy(() -> metrics.decorateCallable(null))
        .hasMessage("callable must not be null");
    assertThatThrownBy(() -> metrics.decorateSupplier(null))
        .hasMessage("supplier must not be null");
    assertThatThrownBy(() -> metrics.decorateRunnable(null))
        .hasMessage("runnable must not be null");
    assertThatThrownBy(() -> metrics.decorateFunction(null))
        .hasMessage("function must not be null");
    assertThatThrownBy(() -> metrics.callAsync(null)).hasMessage("supplier must not be null");
    assertThat(metrics.snapshot().requests()).isZero();
  }

  @Test
  void shortCircuitsAndRejections_countAsErrorsWithoutLatency() throws Exception {
    metrics.call(taking(1, "ok"));
    metrics.recordShortCircuit();
    metrics.recordShortCircuit();
    metrics.recordRejection();

    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.shortCircuits()).isEqualTo(2);
    assertThat(s.rejections()).isEqualTo(1);
    assertThat(s.requests()).isEqualTo(4);
    assertThat(s.errors()).isEqualTo(3);
    assertThat(s.errorPercentage()).isEqualTo(75.0);
    assertThat(s.latencyCount()).isEqualTo(1);
  }

  @Test
  void snapshot_rateIsRequestsPerSecondOfTheWindow() {
    for (int i = 0; i < 25; i++) {
      metrics.run(() -> {});
    }

    assertThat(metrics.snapshot().ratePerSecond()).isEqualTo(2.5); // 25 in 10 s
  }

  @Test
  void snapshot_ofUnusedMetrics_isAllZero() {
    MetricsSnapshot s = metrics.snapshot();

    assertThat(s.requests()).isZero();
    assertThat(s.errorPercentage()).isZero();
    assertThat(s.ratePerSecond()).isZero();
    assertThat(s.latencyCount()).isZero();
    assertThat(s.latencyMean()).isEqualTo(Duration.ZERO);
    assertThat(s.latencyPercentiles()).allSatisfy((p, d) -> assertThat(d).isZero());
    assertThat(s.latencyPercentiles().keySet())
        .containsExactlyElementsOf(MetricsSnapshot.PERCENTILES);
    assertThat(s.failuresByType()).isEmpty();
  }

  @Test
  void inFlight_countsRunningCallsAndTheWindowKeepsThePeak() throws Exception {
    Metrics.Sample a = metrics.start();
    Metrics.Sample b = metrics.start();
    metrics.call(
        () -> {
          assertThat(metrics.snapshot().inFlight()).isEqualTo(3);
          return null;
        });
    a.success();

    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.inFlight()).isEqualTo(1);
    assertThat(s.maxInFlight()).isEqualTo(3);
    b.success();
    assertThat(metrics.snapshot().inFlight()).isZero();
  }

  @Test
  void sample_recordsItsOutcome_andReturnsTheLatency() {
    Metrics.Sample ok = metrics.start();
    now.advance(Duration.ofMillis(2));
    Metrics.Sample failed = metrics.start();
    Metrics.Sample slow = metrics.start();
    assertThat(metrics.snapshot().inFlight()).isEqualTo(3);
    now.advance(Duration.ofMillis(500));

    assertThat(ok.toString()).isEqualTo("Metrics.Sample[name=payments, state=RUNNING]");
    assertThat(ok.success()).isEqualTo(Duration.ofMillis(502).toNanos());
    now.advance(Duration.ofMillis(1));
    assertThat(failed.failure(new IOException("x"))).isEqualTo(Duration.ofMillis(501).toNanos());
    assertThat(slow.timeout()).isEqualTo(Duration.ofMillis(501).toNanos());
    assertThat(ok.toString()).isEqualTo("Metrics.Sample[name=payments, state=SUCCEEDED]");
    assertThat(failed.toString()).isEqualTo("Metrics.Sample[name=payments, state=FAILED]");
    assertThat(slow.toString()).isEqualTo("Metrics.Sample[name=payments, state=TIMED_OUT]");

    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.successes()).isEqualTo(1);
    assertThat(s.failures()).isEqualTo(1);
    assertThat(s.failuresByType()).containsEntry(IOException.class.getName(), 1L);
    assertThat(s.timeouts()).isEqualTo(1);
    assertThat(s.inFlight()).isZero();
    assertThat(s.latencyCount()).isEqualTo(3);
    assertThat(s.latencyMax()).isBetween(Duration.ofMillis(502), Duration.ofMillis(503));
  }

  @Test
  void toString_namesTheMetricsAndWindows() {
    assertThat(metrics.toString())
        .isEqualTo("Metrics[name=payments, window=10.0 s/10, latencyWindow=1.00 min/6]");
    assertThat(metrics.name()).isEqualTo("payments");
  }
}
