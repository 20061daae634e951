package io.dyno.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * Recording stays dyno's: with the binder bound, a call reads the ticker as often as without it,
 * and no meter of Micrometer is read or touched until a reader reads it.
 */
class NoPerCallCostTest {

  /** A registry whose meters count every read of their value functions. */
  static final class CountingRegistry extends SimpleMeterRegistry {
    final AtomicLong reads = new AtomicLong();
    final AtomicLong created = new AtomicLong();

    @Override
    protected <T> Gauge newGauge(Meter.Id id, T obj, ToDoubleFunction<T> f) {
      created.incrementAndGet();
      return super.newGauge(id, obj, counted(f));
    }

    @Override
    protected <T> TimeGauge newTimeGauge(Meter.Id id, T obj, TimeUnit unit, ToDoubleFunction<T> f) {
      created.incrementAndGet();
      return super.newTimeGauge(id, obj, unit, counted(f));
    }

    @Override
    protected <T> FunctionCounter newFunctionCounter(Meter.Id id, T obj, ToDoubleFunction<T> f) {
      created.incrementAndGet();
      return super.newFunctionCounter(id, obj, counted(f));
    }

    @Override
    protected <T> FunctionTimer newFunctionTimer(
        Meter.Id id, T obj, ToLongFunction<T> count, ToDoubleFunction<T> total, TimeUnit unit) {
      created.incrementAndGet();
      ToLongFunction<T> countedCount =
          o -> {
            reads.incrementAndGet();
            return count.applyAsLong(o);
          };
      return super.newFunctionTimer(id, obj, countedCount, counted(total), unit);
    }

    private <T> ToDoubleFunction<T> counted(ToDoubleFunction<T> f) {
      return o -> {
        reads.incrementAndGet();
        return f.applyAsDouble(o);
      };
    }
  }

  @Test
  void tenThousandCalls_readNoMeter_andReadTheTickerAsOftenAsUnbound() {
    Fixture f = new Fixture();
    CountingRegistry registry = new CountingRegistry();
    Metrics bound = f.board.metrics("payments");
    AtomicLong statusReads = new AtomicLong();
    bound.reportStatus(
        () -> {
          statusReads.incrementAndGet();
          return MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null);
        });
    DynoMeterBinder.of(f.board).bindTo(registry);
    long meters = registry.created.get();
    long ticksBefore = f.ticker.reads();

    for (int i = 0; i < 10_000; i++) {
      bound.run(() -> f.ticker.advance(1_000));
    }

    assertThat(registry.reads).hasValue(0);
    assertThat(registry.created).hasValue(meters);
    assertThat(statusReads).hasValue(0);
    // Two ticker reads per call, the cost of the call unbound.
    assertThat(f.ticker.reads() - ticksBefore).isEqualTo(20_000);

    double successes =
        registry.get("dyno.calls").tag("outcome", "success").functionCounter().count();
    assertThat(successes).isEqualTo(10_000);
    assertThat(registry.reads).hasValue(1);
    assertThat(statusReads).hasValue(1);
    f.ticker.advance(Duration.ofMillis(1));
    assertThat(registry.get("dyno.calls.in.flight").gauge().value()).isZero();
    assertThat(registry.reads).hasValue(2);
    assertThat(statusReads).hasValue(1);
  }
}
