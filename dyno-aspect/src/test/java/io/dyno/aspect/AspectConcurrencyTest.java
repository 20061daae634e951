package io.dyno.aspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Filters added and removed while other threads apply the aspect: every call must see one
 * consistent pipeline, never half of a change.
 */
class AspectConcurrencyTest {

  private static final int WRITERS = 4;
  private static final int READERS = 4;
  private static final int CHANGES = 2_000;

  @Test
  void apply_whileFiltersChange_seesAConsistentPipeline() throws Exception {
    Aspect<String, String> aspect = Aspect.of("trace", s -> s + "|f|");
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean writing = new AtomicBoolean(true);
    ConcurrentLinkedQueue<String> bad = new ConcurrentLinkedQueue<>();
    List<Future<?>> writers = new ArrayList<>();
    List<Future<Integer>> readers = new ArrayList<>();
    try {
      for (int w = 0; w < WRITERS; w++) {
        String id = "w" + w;
        writers.add(
            pool.submit(
                () -> {
                  await(start);
                  for (int i = 0; i < CHANGES; i++) {
                    // In and out one at a time, in a fixed order: see consistent().
                    Registration b = aspect.before(a -> a + "b" + id + ";");
                    Registration r = aspect.around((a, next) -> "(" + id + next.apply(a) + ")");
                    Registration f = aspect.after((a, res) -> res + "a" + id + ";");
                    b.remove();
                    r.remove();
                    f.remove();
                  }
                  return null;
                }));
      }
      for (int r = 0; r < READERS; r++) {
        readers.add(
            pool.submit(
                () -> {
                  await(start);
                  int calls = 0;
                  while (writing.get()) {
                    String result = aspect.apply("x;");
                    calls++;
                    if (!consistent(result)) {
                      bad.add(result);
                    }
                  }
                  return calls;
                }));
      }
      start.countDown();
      for (Future<?> w : writers) {
        w.get(60, TimeUnit.SECONDS);
      }
      writing.set(false);
      int calls = 0;
      for (Future<Integer> r : readers) {
        calls += r.get(60, TimeUnit.SECONDS);
      }

      assertThat(bad).isEmpty();
      assertThat(calls).isPositive();
      assertThat(aspect.filterCount()).isZero();
      assertThat(aspect.apply("x;")).isEqualTo("x;|f|");
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  /**
   * Whether {@code result} came from one pipeline. Each writer changes its own filters one at a
   * time (before, around, after in; before, around, after out), so any one pipeline holds, of each
   * writer's filters, one of: none, b, br, brf, rf, f. A call that mixed two pipelines could show
   * another combination, such as b and f without r, or a marker twice.
   */
  private static boolean consistent(String result) {
    String s = result;
    List<String> arounds = new ArrayList<>();
    while (s.startsWith("(")) {
      if (!s.endsWith(")")) {
        return false;
      }
      arounds.add(s.substring(1, 3));
      s = s.substring(3, s.length() - 1);
    }
    int bar = s.indexOf("|f|");
    if (bar < 0 || !s.startsWith("x;")) {
      return false;
    }
    List<String> befores = markers(s.substring(2, bar), 'b');
    List<String> afters = markers(s.substring(bar + 3), 'a');
    if (befores == null || afters == null || new HashSet<>(arounds).size() != arounds.size()) {
      return false;
    }
    for (int w = 0; w < WRITERS; w++) {
      String id = "w" + w;
      String present =
          (befores.contains(id) ? "b" : "")
              + (arounds.contains(id) ? "r" : "")
              + (afters.contains(id) ? "f" : "");
      if (!Set.of("", "b", "br", "brf", "rf", "f").contains(present)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the writer ids of a run of {@code <kind>wN;} markers, or null when the run is malformed
   * or names a writer twice.
   */
  private static @Nullable List<String> markers(String markers, char kind) {
    List<String> seen = new ArrayList<>();
    int i = 0;
    while (i < markers.length()) {
      if (i + 4 > markers.length()
          || markers.charAt(i) != kind
          || markers.charAt(i + 1) != 'w'
          || markers.charAt(i + 3) != ';') {
        return null;
      }
      String id = markers.substring(i + 1, i + 3);
      if (seen.contains(id)) {
        return null;
      }
      seen.add(id);
      i += 4;
    }
    return seen;
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
