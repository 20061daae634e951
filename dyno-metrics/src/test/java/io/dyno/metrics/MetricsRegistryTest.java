package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeTicker;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link MetricsRegistry}: one instance per name, iteration, removal and listeners. */
class MetricsRegistryTest {

  private final FakeTicker now = FakeTicker.create();
  private final MetricsRegistry board =
      MetricsRegistry.create(name -> Metrics.builder(name).ticker(now).build());

  @Test
  void metrics_returnsOneInstancePerName() {
    Metrics a = board.metrics("a");

    assertThat(board.metrics("a")).isSameAs(a);
    assertThat(board.metrics("b")).isNotSameAs(a);
    assertThat(MetricsRegistry.create().metrics("x").name()).isEqualTo("x");
  }

  @Test
  void allAndSnapshots_listEveryInstanceByName() {
    board.metrics("zeta").run(() -> {});
    board.metrics("alpha");

    assertThat(board.all()).extracting(Metrics::name).containsExactly("alpha", "zeta");
    assertThat(board.snapshots())
        .extracting(MetricsSnapshot::name)
        .containsExactly("alpha", "zeta");
    assertThat(board.snapshots().get(1).successes()).isEqualTo(1);
    assertThat(board.toString()).isEqualTo("MetricsRegistry[names=[alpha, zeta]]");
  }

  @Test
  void remove_takesTheInstanceOffAndALaterLookUpCreatesAFreshOne() {
    Metrics a = board.metrics("a");

    assertThat(board.remove("a")).containsSame(a);
    assertThat(board.remove("a")).isEmpty();
    assertThat(board.all()).isEmpty();
    assertThat(board.metrics("a")).isNotSameAs(a);
  }

  @Test
  void listeners_areToldOfAdditionsAndRemovals_andAFailingOneDoesNotStopTheOthers() {
    List<String> events = new ArrayList<>();
    board.onAdded(
        m -> {
          throw new IllegalStateException("listener bug");
        });
    board.onAdded(m -> events.add("+" + m.name()));
    board.onRemoved(m -> events.add("-" + m.name()));

    board.metrics("a");
    board.metrics("a");
    board.metrics("b");
    board.remove("a");
    board.remove("missing");

    assertThat(events).containsExactly("+a", "+b", "-a");
  }

  @Test
  void metrics_refusesBadNamesAndFactoriesThatRenameOrReturnNull() {
    MetricsRegistry renaming = MetricsRegistry.create(name -> Metrics.of("other"));
    MetricsRegistry nulling = MetricsRegistry.create(name -> null);

    assertThatThrownBy(() -> board.metrics(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> board.metrics(null)).hasMessage("name must not be null");
    assertThatThrownBy(() -> board.remove(null)).hasMessage("name must not be null");
    assertThatThrownBy(() -> board.onAdded(null)).hasMessage("listener must not be null");
    assertThatThrownBy(() -> board.onRemoved(null)).hasMessage("listener must not be null");
    assertThatThrownBy(() -> MetricsRegistry.create(null)).hasMessage("factory must not be null");
    assertThatThrownBy(() -> renaming.metrics("a"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "MetricsRegistry factory must return metrics named 'a', was "
                + "Metrics[name=other, window=10.0 s/10, latencyWindow=1.00 min/6]");
    assertThatThrownBy(() -> nulling.metrics("a"))
        .hasMessage("MetricsRegistry factory must return metrics named 'a', was null");
  }

  @Test
  void fourThreads_askingForOneName_getOneInstance_andOneAddition() throws Exception {
    AtomicInteger added = new AtomicInteger();
    board.onAdded(m -> added.incrementAndGet());
    Set<Metrics> seen = ConcurrentHashMap.newKeySet();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await(10, TimeUnit.SECONDS);
                  for (int i = 0; i < 1_000; i++) {
                    seen.add(board.metrics("n" + (i % 10)));
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(seen).hasSize(10);
    assertThat(added).hasValue(10);
  }

  @Test
  void all_isSortedOncePerChange_andFollowsEveryAddAndRemove() {
    board.metrics("b");
    board.metrics("a");
    List<Metrics> first = board.all();

    assertThat(board.all()).isSameAs(first);
    assertThat(first).extracting(Metrics::name).containsExactly("a", "b");
    board.metrics("c");
    assertThat(board.all()).extracting(Metrics::name).containsExactly("a", "b", "c");
    board.remove("a");
    assertThat(board.all()).extracting(Metrics::name).containsExactly("b", "c");
    board.remove("missing");
    board.metrics("b");
    assertThat(board.all())
        .isSameAs(board.all())
        .extracting(Metrics::name)
        .containsExactly("b", "c");
  }
}
