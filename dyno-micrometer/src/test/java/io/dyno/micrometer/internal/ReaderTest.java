package io.dyno.micrometer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsSnapshot;
import io.dyno.metrics.MetricsStatus;
import io.dyno.metrics.MetricsStatus.Circuit;
import io.dyno.metrics.MetricsStatus.Pool;
import io.dyno.metrics.MetricsTotals;
import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReaderTest {

  private final FakeTicker ticker = FakeTicker.create();
  private final Metrics metrics = Metrics.builder("payments").ticker(ticker).build();
  private final List<Reader.Reading> readings = new ArrayList<>();
  private final Reader reader = new Reader(metrics, 1_000, readings::add);
  private final AtomicReference<MetricsStatus> status = new AtomicReference<>();

  @Test
  void withoutAStatus_theStatusFiguresAreNaN_andTheOthersRead() {
    metrics.run(() -> ticker.advance(7));

    assertThat(reader.metrics()).isSameAs(metrics);
    assertThat(reader.totals(MetricsTotals::successes)).isEqualTo(1);
    assertThat(reader.snapshot(MetricsSnapshot::successes)).isEqualTo(1);
    assertThat(reader.status(s -> 5)).isNaN();
    assertThat(reader.pool(Pool::size)).isNaN();
    assertThat(reader.nextTrialNanos()).isNaN();
  }

  @Test
  void withAStatus_itsFiguresRead_andThoseItLacksAreNaN() {
    metrics.reportStatus(status::get);
    status.set(MetricsStatus.circuit(Circuit.OPEN, Duration.ofNanos(300)));

    assertThat(reader.status(s -> s.circuit() == Circuit.OPEN ? 1 : 0)).isEqualTo(1);
    assertThat(reader.nextTrialNanos()).isEqualTo(300);
    assertThat(reader.pool(Pool::size)).isNaN();

    status.set(MetricsStatus.pool(new Pool(4, 3, 3, 2, 1, 9)));
    ticker.advance(1_000);

    assertThat(reader.pool(Pool::size)).isEqualTo(3);
    assertThat(reader.pool(Pool::completed)).isEqualTo(9);
    assertThat(reader.nextTrialNanos()).isNaN();
  }

  @Test
  void aSnapshotThatFails_readsNaN_andTheTotalsStillRead() {
    metrics.reportStatus(status::get);
    metrics.run(() -> ticker.advance(7));

    assertThat(reader.snapshot(MetricsSnapshot::successes)).isNaN();
    assertThat(reader.status(s -> 5)).isNaN();
    assertThat(reader.pool(Pool::size)).isNaN();
    assertThat(reader.nextTrialNanos()).isNaN();
    assertThat(reader.totals(MetricsTotals::successes)).isEqualTo(1);
    assertThat(Reader.statusOf(readings.get(0))).isNull();
    assertThat(readings.get(0).snapshot()).isNull();
  }

  @Test
  void aReading_servesTheReadsWithinTheReuseTime_andIsToldOnce() {
    reader.read();
    ticker.advance(999);
    reader.read();
    assertThat(readings).hasSize(1);
    assertThat(readings.get(0).tick()).isZero();

    ticker.advance(1);
    Reader.Reading second = reader.read();

    assertThat(readings).hasSize(2).last().isSameAs(second);
    assertThat(second.tick()).isEqualTo(1_000);
  }

  @Test
  void noReuseTime_takesAReadingAtEveryRead() {
    Reader always = new Reader(metrics, 0, readings::add);

    always.read();
    always.read();

    assertThat(readings).hasSize(2);
  }

  @Test
  void anotherThread_readsAfterThisOne() throws Exception {
    reader.read();
    ticker.advance(1_000);

    Reader.Reading other = CompletableFuture.supplyAsync(reader::read).get(10, TimeUnit.SECONDS);

    assertThat(other.tick()).isEqualTo(1_000);
  }

  @Test
  void percent_isTheSnapshotsPercentileOfAFraction() {
    for (double p : MetricsSnapshot.PERCENTILES) {
      assertThat(MetricsSnapshot.PERCENTILES).contains(MeterSet.percent(p / 100));
    }
    assertThat(MeterSet.percent(0.999)).isEqualTo(99.9);
    assertThat(MeterSet.percent(0.995)).isEqualTo(99.5);
  }
}
