package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.metrics.MetricsStatus.Circuit;
import io.dyno.metrics.MetricsStatus.Pool;
import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@link Metrics#reportStatus}: one owner at a time reports the status every snapshot carries. */
class MetricsStatusReportTest {

  private final Metrics metrics =
      Metrics.builder("payments").ticker(FakeTicker.startingAt(1_000)).build();

  @Test
  void noReport_noStatus() {
    assertThat(metrics.status()).isNull();
    assertThat(metrics.snapshot().status()).isNull();
  }

  @Test
  void everySnapshot_asksTheSourceOnce_andCarriesWhatItSays() {
    AtomicReference<MetricsStatus> current =
        new AtomicReference<>(MetricsStatus.circuit(Circuit.CLOSED, null));
    AtomicInteger asked = new AtomicInteger();
    metrics.reportStatus(
        () -> {
          asked.incrementAndGet();
          return current.get();
        });

    assertThat(metrics.snapshot().status()).isEqualTo(current.get());
    MetricsStatus open =
        MetricsStatus.circuit(Circuit.OPEN, Duration.ofSeconds(4))
            .withPool(new Pool(8, 8, 8, 8, 5, 42));
    current.set(open);
    assertThat(metrics.snapshot().status()).isEqualTo(open);
    assertThat(asked).hasValue(2);
  }

  @Test
  void aSecondOwner_isRefusedWhileTheFirstReports_namingTheMetric() {
    Supplier<MetricsStatus> first = () -> MetricsStatus.circuit(Circuit.CLOSED, null);
    Metrics.StatusReport report = metrics.reportStatus(first);

    assertThatThrownBy(
            () -> metrics.reportStatus(() -> MetricsStatus.pool(new Pool(1, 0, 0, 0, 0, 0))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Metrics 'payments' already report a status, from " + first);
    assertThat(report.isOpen()).isTrue();
    assertThat(metrics.status()).isEqualTo(MetricsStatus.circuit(Circuit.CLOSED, null));
  }

  @Test
  void closing_stopsTheReport_andLetsAnotherOwnerReport() {
    Metrics.StatusReport first =
        metrics.reportStatus(() -> MetricsStatus.circuit(Circuit.CLOSED, null));
    first.close();

    assertThat(first.isOpen()).isFalse();
    assertThat(metrics.status()).isNull();
    assertThat(metrics.snapshot().status()).isNull();

    MetricsStatus forced = MetricsStatus.circuit(Circuit.FORCED_OPEN, null);
    Metrics.StatusReport second = metrics.reportStatus(() -> forced);
    assertThat(second.isOpen()).isTrue();
    assertThat(metrics.snapshot().status()).isEqualTo(forced);

    // Closing the old report again leaves the new owner's in place.
    first.close();
    assertThat(second.isOpen()).isTrue();
    assertThat(first.isOpen()).isFalse();
    assertThat(metrics.status()).isEqualTo(forced);
  }

  @Test
  void toString_namesTheMetricAndWhetherTheReportIsOpen() {
    Metrics.StatusReport report =
        metrics.reportStatus(() -> MetricsStatus.circuit(Circuit.CLOSED, null));
    assertThat(report).hasToString("Metrics.StatusReport[name=payments, state=OPEN]");

    report.close();
    assertThat(report).hasToString("Metrics.StatusReport[name=payments, state=CLOSED]");
  }

  @Test
  void aSourceReturningNull_failsTheSnapshot_namingTheSourceAndTheMetric() {
    Supplier<MetricsStatus> broken = () -> null;
    metrics.reportStatus(broken);

    assertThatThrownBy(metrics::status)
        .isInstanceOf(NullPointerException.class)
        .hasMessage("status source " + broken + " of metrics 'payments' returned null");
    assertThatThrownBy(metrics::snapshot)
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("of metrics 'payments' returned null");
  }

  @Test
  void aNullSource_isRefused() {
    assertThatThrownBy(() -> metrics.reportStatus(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("source must not be null");
    assertThat(metrics.status()).isNull();
  }

  @Test
  void withStatus_replacesOnlyTheStatus() {
    metrics.recordShortCircuit();
    MetricsSnapshot plain = metrics.snapshot();
    MetricsStatus open = MetricsStatus.circuit(Circuit.OPEN, Duration.ofSeconds(1));

    MetricsSnapshot withOpen = plain.withStatus(open);

    assertThat(withOpen.status()).isEqualTo(open);
    assertThat(withOpen.withStatus(null)).isEqualTo(plain);
    assertThat(withOpen.shortCircuits()).isEqualTo(1);
    assertThat(withOpen.latencyPercentiles()).isEqualTo(plain.latencyPercentiles());
  }
}
