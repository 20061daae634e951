package io.dyno.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Runs one task on several threads released together, to make them contend: each thread starts,
 * waits at a gate until all have started, then runs the task with its own index. The race ends when
 * every contender has returned; what each returned comes back in index order.
 *
 * <pre>{@code
 * List<Integer> rejected = Race.run(ThreadKind.VIRTUAL, 8, i -> callManyTimes(breaker));
 * assertThat(rejected).containsOnly(0);
 * }</pre>
 *
 * <p>A race that does not finish within its timeout (30 seconds unless given) fails with an {@link
 * AssertionError} naming the contenders still running, after interrupting them; a contender that
 * throws fails the race with an {@link AssertionError} whose cause is the first failure, the others
 * suppressed. Nothing here lets time pass: the timeout only bounds a race that hangs.
 */
public final class Race {

  /** How long {@link #run(ThreadKind, int, Contender)} waits for a race to finish. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** The most contenders one race starts. */
  public static final int MAX_CONTENDERS = 100_000;

  /**
   * One contender's part of a race.
   *
   * @param <T> what it returns
   */
  @FunctionalInterface
  public interface Contender<T> {
    /**
     * Runs this contender's part.
     *
     * @param index the contender's number, from 0 to one less than the number of contenders
     * @return the contender's result, which may be null
     * @throws Exception if the contender fails, which fails the race
     */
    @Nullable T run(int index) throws Exception;
  }

  private Race() {}

  /**
   * Runs {@code contender} on {@code threads} new threads of {@code kind}, released together, and
   * waits up to {@link #DEFAULT_TIMEOUT} for all of them.
   *
   * @param kind the kind of thread to race on
   * @param threads how many contenders, 1 to {@value #MAX_CONTENDERS}
   * @param contender what each one runs, given its index
   * @param <T> what each one returns
   * @return each contender's result, in index order (a null result is kept as null)
   * @throws AssertionError if a contender failed or the race did not finish in time
   * @throws InterruptedException if the calling thread is interrupted while it waits
   * @throws IllegalArgumentException if {@code threads} is out of range
   * @throws UnsupportedOperationException if {@code kind} is not available on this JVM
   */
  public static <T> List<@Nullable T> run(ThreadKind kind, int threads, Contender<T> contender)
      throws InterruptedException {
    return run(kind, threads, DEFAULT_TIMEOUT, contender);
  }

  /**
   * Runs {@code contender} on {@code threads} new threads of {@code kind}, released together, and
   * waits up to {@code timeout} for all of them.
   *
   * @param kind the kind of thread to race on
   * @param threads how many contenders, 1 to {@value #MAX_CONTENDERS}
   * @param timeout how long the race may take, from the first start to the last return, positive
   * @param contender what each one runs, given its index
   * @param <T> what each one returns
   * @return each contender's result, in index order (a null result is kept as null)
   * @throws AssertionError if a contender failed or the race did not finish in time
   * @throws InterruptedException if the calling thread is interrupted while it waits
   * @throws IllegalArgumentException if {@code threads} is out of range or {@code timeout} is not
   *     positive
   * @throws UnsupportedOperationException if {@code kind} is not available on this JVM
   */
  public static <T> List<@Nullable T> run(
      ThreadKind kind, int threads, Duration timeout, Contender<T> contender)
      throws InterruptedException {
    Objects.requireNonNull(kind, "kind must not be null");
    Objects.requireNonNull(timeout, "timeout must not be null");
    Objects.requireNonNull(contender, "contender must not be null");
    if (threads < 1 || threads > MAX_CONTENDERS) {
      throw new IllegalArgumentException(
          "threads must be between 1 and " + MAX_CONTENDERS + ", was " + threads);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    ThreadFactory factory = kind.factory("race");
    CountDownLatch started = new CountDownLatch(threads);
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(threads);
    AtomicReferenceArray<@Nullable Object> results = new AtomicReferenceArray<>(threads);
    AtomicReferenceArray<@Nullable Throwable> failures = new AtomicReferenceArray<>(threads);
    AtomicReferenceArray<@Nullable Thread> running = new AtomicReferenceArray<>(threads);
    for (int i = 0; i < threads; i++) {
      int index = i;
      Thread t =
          factory.newThread(
              () -> {
                try {
                  started.countDown();
                  gate.await();
                  results.set(index, contender.run(index));
                } catch (Throwable e) {
                  failures.set(index, e);
                } finally {
                  finished.countDown();
                }
              });
      running.set(i, t);
      t.start();
    }
    long timeoutNanos = timeout.toNanos();
    try {
      if (!started.await(timeoutNanos, TimeUnit.NANOSECONDS)) {
        throw timedOut(threads, timeout, running, "did not start");
      }
      gate.countDown();
      if (!finished.await(timeoutNanos, TimeUnit.NANOSECONDS)) {
        throw timedOut(threads, timeout, running, "did not finish");
      }
    } finally {
      gate.countDown(); // never leave a contender parked at the gate
    }
    return collect(threads, results, failures);
  }

  private static AssertionError timedOut(
      int threads, Duration timeout, AtomicReferenceArray<@Nullable Thread> running, String what) {
    List<Integer> stuck = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t = running.get(i);
      if (t != null && t.isAlive()) {
        stuck.add(i);
        t.interrupt();
      }
    }
    return new AssertionError(
        "race of "
            + threads
            + " contenders timed out after "
            + timeout
            + ": "
            + stuck.size()
            + " "
            + what
            + " (contenders "
            + abbreviate(stuck)
            + ")");
  }

  private static String abbreviate(List<Integer> indexes) {
    int shown = Math.min(indexes.size(), 10);
    String list = indexes.subList(0, shown).toString();
    return indexes.size() > shown ? list + " and " + (indexes.size() - shown) + " more" : list;
  }

  @SuppressWarnings("unchecked") // each slot holds what the contender of type T returned
  private static <T> List<@Nullable T> collect(
      int threads,
      AtomicReferenceArray<@Nullable Object> results,
      AtomicReferenceArray<@Nullable Throwable> failures) {
    AssertionError failed = null;
    for (int i = 0; i < threads; i++) {
      Throwable f = failures.get(i);
      if (f == null) {
        continue;
      }
      if (failed == null) {
        failed = new AssertionError("contender " + i + " of " + threads + " failed: " + f, f);
      } else {
        failed.addSuppressed(f);
      }
    }
    if (failed != null) {
      throw failed;
    }
    List<@Nullable T> list = new ArrayList<>(threads);
    for (int i = 0; i < threads; i++) {
      list.add((T) results.get(i));
    }
    return list;
  }
}
