package io.dyno.timing;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many threads on one timing at once: nothing lost, nothing misplaced. */
class TimingConcurrencyTest {

  private static final int THREADS = 8;
  private static final int ROUNDS = 2_000;
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-27T06:00:00Z"), ZoneOffset.UTC);

  /** A thread-safe, strictly increasing ticker: every reading is distinct. */
  private final FakeTicker ticks = FakeTicker.create().autoAdvance(Duration.ofNanos(1));

  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  /** Threads other than the pool's, so that what they stop was opened on another thread. */
  private final ExecutorService others = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void shutDown() throws InterruptedException {
    pool.shutdownNow();
    others.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(others.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private Timing start(String name) {
    return Timing.builder(name).ticker(ticks).clock(CLOCK).maxEvents(100_000).start();
  }

  /** Starts one task per thread, releases them together, and waits for all of them. */
  private <T> List<T> runTogether(List<Callable<T>> tasks) throws Exception {
    return runTogether(pool, tasks);
  }

  private static <T> List<T> runTogether(ExecutorService executor, List<Callable<T>> tasks)
      throws Exception {
    CountDownLatch ready = new CountDownLatch(tasks.size());
    CountDownLatch go = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (Callable<T> task : tasks) {
      futures.add(
          executor.submit(
              () -> {
                ready.countDown();
                assertThat(go.await(10, TimeUnit.SECONDS)).isTrue();
                return task.call();
              }));
    }
    assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
    go.countDown();
    List<T> results = new ArrayList<>();
    for (Future<T> future : futures) {
      results.add(future.get(30, TimeUnit.SECONDS));
    }
    return results;
  }

  @Test
  @SuppressWarnings("try") // The outer span is only closed.
  void threadsOpeningAndClosingSpansAtOnce_recordEveryEventInAWellFormedTree() throws Exception {
    Timing t = start("load");
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int k = 0; k < THREADS; k++) {
      String thread = "t" + k;
      tasks.add(
          () -> {
            for (int i = 0; i < ROUNDS; i++) {
              try (Timing.Span outer = t.interval(thread + "-outer")) {
                Timing.Span inner = t.interval(thread + "-inner");
                t.mark(thread + "-mark");
                inner.stop();
              }
            }
            return null;
          });
    }

    runTogether(tasks);
    t.stop();

    List<Timing.Record> records = t.records();
    assertThat(records).hasSize(1 + THREADS * ROUNDS * 3);
    assertWellFormed(records);
    for (Timing.Record r : records) {
      assertThat(r.notes()).as("%s", r).isEmpty();
      assertThat(r.running()).as("%s", r).isFalse();
      String thread = r.name().substring(0, r.name().indexOf('-') + 1);
      // Each thread's events nest under its own spans, never under another thread's.
      if (r.name().endsWith("-outer")) {
        assertThat(r.parent()).isZero();
      } else if (r.name().endsWith("-inner")) {
        assertThat(records.get(r.parent()).name())
            .as("parent of %s", r)
            .isEqualTo(thread + "outer");
      } else if (r.name().endsWith("-mark")) {
        assertThat(records.get(r.parent()).name())
            .as("parent of %s", r)
            .isEqualTo(thread + "inner");
      }
    }
    assertThat(records.stream().filter(r -> r.kind() == Timing.Kind.MARK))
        .hasSize(THREADS * ROUNDS);
  }

  @Test
  void threadsStoppingOneSpanAtOnce_setItsEndOnceAndNoteTheRest() throws Exception {
    Timing t = start("race");
    Timing.Span contested = t.interval("contested");
    long opened = ticks.elapsed().toNanos(); // the next reading, without taking it
    List<Callable<Long>> tasks = new ArrayList<>();
    for (int k = 0; k < THREADS; k++) {
      tasks.add(
          () -> {
            contested.stop();
            return ticks.elapsed().toNanos();
          });
    }

    List<Long> after = runTogether(tasks);

    Timing.Record record = t.records().get(1);
    assertThat(record.running()).isFalse();
    long end = record.startNanos() + record.durationNanos();
    assertThat(end)
        .isBetween(opened, after.stream().mapToLong(Long::longValue).max().orElseThrow());
    assertThat(contested.elapsed().toNanos()).isEqualTo(record.durationNanos());
    assertThat(record.notes())
        .containsExactlyInAnyOrder(Timing.Note.STOPPED_TWICE, Timing.Note.STOPPED_ON_OTHER_THREAD);
  }

  @Test
  void threadsStoppingSpansOpenedByOtherThreads_endThemAllAndSaySo() throws Exception {
    Timing t = start("swap");
    int perThread = 200;
    List<List<Timing.Span>> opened = new ArrayList<>();
    List<Callable<Void>> open = new ArrayList<>();
    for (int k = 0; k < THREADS; k++) {
      List<Timing.Span> mine = new ArrayList<>();
      opened.add(mine);
      String thread = "t" + k;
      open.add(
          () -> {
            for (int i = 0; i < perThread; i++) {
              mine.add(t.interval(thread + "-" + i));
            }
            return null;
          });
    }
    runTogether(open);
    List<Callable<Void>> stop = new ArrayList<>();
    for (int k = 0; k < THREADS; k++) {
      List<Timing.Span> theirs = opened.get((k + 1) % THREADS);
      stop.add(
          () -> {
            theirs.forEach(Timing.Span::stop);
            return null;
          });
    }
    runTogether(others, stop);

    List<Timing.Record> records = t.records();
    assertThat(records).hasSize(1 + THREADS * perThread);
    assertWellFormed(records);
    for (Timing.Record r : records.subList(1, records.size())) {
      assertThat(r.running()).isFalse();
      assertThat(r.notes()).contains(Timing.Note.STOPPED_ON_OTHER_THREAD);
      // Each thread's spans form one chain: t3-5 nests under t3-4.
      int i = Integer.parseInt(r.name().substring(r.name().indexOf('-') + 1));
      String expectedParent =
          i == 0 ? "swap" : r.name().substring(0, r.name().indexOf('-') + 1) + (i - 1);
      assertThat(records.get(r.parent()).name()).isEqualTo(expectedParent);
    }
  }

  /**
   * Checks that records are a tree in pre-order: each one's parent comes before it, one level up,
   * and is still on the path from the root to the previous record.
   */
  static void assertWellFormed(List<Timing.Record> records) {
    assertThat(records.get(0).parent()).isEqualTo(-1);
    assertThat(records.get(0).depth()).isZero();
    List<Integer> path = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      Timing.Record r = records.get(i);
      assertThat(r.index()).isEqualTo(i);
      if (i > 0) {
        assertThat(r.parent()).isBetween(0, i - 1);
        assertThat(r.depth()).isEqualTo(records.get(r.parent()).depth() + 1);
        assertThat(records.get(r.parent()).kind()).isEqualTo(Timing.Kind.INTERVAL);
      }
      while (path.size() > r.depth()) {
        path.remove(path.size() - 1);
      }
      if (i > 0) {
        assertThat(path.get(path.size() - 1))
            .as("parent of %s is on the path", r)
            .isEqualTo(r.parent());
      }
      path.add(i);
    }
  }
}
