package io.dyno.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dyno.injection.Fakes.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real threads: parallel construction, timeouts, cancellation and leaks. */
class ParallelInjectorTest extends InjectorContract {

  private final ExecutorService executor = Executors.newCachedThreadPool();

  /** Released in cleanup, so that no construction outlives its test. */
  private final CountDownLatch never = new CountDownLatch(1);

  @Override
  Injector injector() {
    return Injector.parallel(executor);
  }

  /** A parallel injector on the test's executor that reads time from {@code ticker}. */
  private Injector injector(LongSupplier ticker) {
    return Injector.builder().executor(executor).ticker(ticker).build();
  }

  @AfterEach
  void shutDown() throws InterruptedException {
    never.countDown();
    executor.shutdownNow();
    assertThat(executor.awaitTermination(Fakes.WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void toString_namesTheMode() {
    assertThat(injector()).hasToString("Injector[parallel]");
  }

  @Test
  void dependencies_areConstructedAtTheSameTime() {
    // Each construction waits for the other: only a parallel injector can finish.
    CountDownLatch both = new CountDownLatch(2);
    Dependency<String> a = Dependency.of("a", () -> meet(both, "A"));
    Dependency<String> b = Dependency.of("b", () -> meet(both, "B"));
    assertThat(injector().injectSupplier(List.of(a, b), deps -> deps.get(a) + deps.get(b)).get())
        .isEqualTo("AB");
  }

  private static String meet(CountDownLatch latch, String value) {
    latch.countDown();
    Fakes.await(latch);
    return value;
  }

  @Test
  void failure_cancelsSiblings_andClosesEveryValue_evenOneThatArrivesLater() {
    CountDownLatch earlyBuilt = new CountDownLatch(1);
    CountDownLatch lateStarted = new CountDownLatch(1);
    CountDownLatch blockedStarted = new CountDownLatch(1);
    CountDownLatch blockedInterrupted = new CountDownLatch(1);
    CountDownLatch releaseLate = new CountDownLatch(1);
    AtomicReference<Resource> late = new AtomicReference<>();
    Dependency<Resource> early =
        Dependency.of(
            "early",
            () -> {
              Resource r = new Resource("early", counter);
              earlyBuilt.countDown();
              return r;
            });
    Dependency<Resource> lateDep =
        Dependency.of(
            "late",
            () -> {
              lateStarted.countDown();
              Fakes.awaitUninterruptibly(releaseLate);
              Resource r = new Resource("late", counter);
              late.set(r);
              return r;
            });
    Dependency<Resource> blocked =
        Dependency.of(
            "blocked",
            () -> {
              blockedStarted.countDown();
              try {
                never.await();
              } catch (InterruptedException e) {
                blockedInterrupted.countDown();
                Thread.currentThread().interrupt();
              }
              return new Resource("blocked", counter);
            });
    IllegalStateException refused = new IllegalStateException("refused");
    Dependency<String> db =
        Dependency.of(
            "db",
            () -> {
              Fakes.await(earlyBuilt);
              Fakes.await(lateStarted);
              Fakes.await(blockedStarted);
              throw refused;
            });
    Supplier<Integer> s =
        injector().injectSupplier(List.of(early, lateDep, blocked, db), deps -> 1);

    DependencyException e = catchThrowableOfType(DependencyException.class, s::get);

    assertThat(e).hasCause(refused);
    Fakes.await(blockedInterrupted);
    releaseLate.countDown();
    Fakes.await(waitForClose(late));
    Fakes.await(waitForCloses(3));
    assertThat(counter.opens).hasValue(3);
  }

  /** A latch released once the late resource exists and is closed. */
  private static CountDownLatch waitForClose(AtomicReference<Resource> late) {
    CountDownLatch done = new CountDownLatch(1);
    Thread t =
        new Thread(
            () -> {
              while (late.get() == null) {
                Thread.onSpinWait();
              }
              Fakes.await(late.get().closed);
              done.countDown();
            });
    t.setDaemon(true);
    t.start();
    return done;
  }

  private CountDownLatch waitForCloses(int n) {
    CountDownLatch done = new CountDownLatch(1);
    Thread t =
        new Thread(
            () -> {
              while (counter.closes.get() < n) {
                Thread.onSpinWait();
              }
              done.countDown();
            });
    t.setDaemon(true);
    t.start();
    return done;
  }

  /** Waits for a latch nobody opens, until the construction is cancelled by interrupting it. */
  private void awaitCancellation() {
    try {
      never.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A ticker that stands still until {@code started} is released and then jumps an hour ahead, so
   * that a timeout fires only once the construction is running: one cancelled before its thread
   * picked it up would never run, and could not be seen to be interrupted.
   */
  private static LongSupplier afterStart(CountDownLatch started) {
    return () -> started.getCount() == 0 ? Duration.ofHours(1).toNanos() : 0;
  }

  @Test
  void timeout_cancelsTheConstruction_andReportsIt() {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    Dependency<String> slow =
        Dependency.of(
                "slow",
                () -> {
                  started.countDown();
                  try {
                    never.await();
                  } catch (InterruptedException e) {
                    interrupted.countDown();
                    Thread.currentThread().interrupt();
                  }
                  return "too late";
                })
            .timeout(Timeouts.LAN);
    DependencyException e =
        catchThrowableOfType(
            DependencyException.class,
            injector(afterStart(started)).injectSupplier(List.of(slow), deps -> 1)::get);
    assertThat(e.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo(DependencyFailure.Kind.TIMED_OUT);
              assertThat(f.elapsed()).isGreaterThanOrEqualTo(Timeouts.LAN);
            });
    assertThat(e)
        .hasMessageContaining("'slow' timed out after ")
        .hasMessageContaining("no value within its timeout of 50.0 ms");
    Fakes.await(interrupted);
  }

  @Test
  void timeout_withNegativeTickerReadings_timesOutOnlyTheDependencyThatHasOne() {
    // System.nanoTime() may be negative. When one dependency's timeout fires, a sibling without a
    // timeout keeps waiting: it is not taken for one whose deadline has long passed.
    CountDownLatch started = new CountDownLatch(2);
    Dependency<String> slow =
        Dependency.of(
                "slow",
                () -> {
                  started.countDown();
                  awaitCancellation();
                  return "too late";
                })
            .timeout(Timeouts.LAN);
    Dependency<String> patient =
        Dependency.of(
            "patient",
            () -> {
              started.countDown();
              awaitCancellation();
              return "eventually";
            });
    long tenHoursAgo = -Duration.ofHours(10).toNanos();
    LongSupplier negative =
        () -> started.getCount() == 0 ? tenHoursAgo + Duration.ofHours(1).toNanos() : tenHoursAgo;
    DependencyException e =
        catchThrowableOfType(
            DependencyException.class,
            injector(negative).injectSupplier(List.of(slow, patient), deps -> 1)::get);
    assertThat(e.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.dependency()).isEqualTo("slow");
              assertThat(f.kind()).isEqualTo(DependencyFailure.Kind.TIMED_OUT);
            });
  }

  @Test
  void timeout_withAFallback_usesIt_andClosesTheValueThatArrivesLater() {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Resource> late = new AtomicReference<>();
    Resource offline = new Resource("offline", counter);
    Dependency<Resource> slow =
        Dependency.of(
                "slow",
                () -> {
                  started.countDown();
                  Fakes.awaitUninterruptibly(release);
                  Resource r = new Resource("late", counter);
                  late.set(r);
                  return r;
                })
            .timeout(Duration.ofMillis(50))
            .orElse(offline);
    Dependency<String> fast = Dependency.of("fast", () -> "fast");
    assertThat(
            injector(afterStart(started))
                .injectSupplier(List.of(slow, fast), deps -> deps.get(slow) + deps.get(fast))
                .get())
        .isEqualTo("offlinefast");
    release.countDown();
    Fakes.await(waitForClose(late));
    assertThat(offline.closed.getCount()).isEqualTo(1);
  }

  @Test
  void rejectedConstruction_isAFailure() {
    RejectedExecutionException full = new RejectedExecutionException("full");
    Injector injector =
        Injector.parallel(
            r -> {
              throw full;
            });
    Dependency<String> d = Dependency.of("d", () -> "D");
    DependencyException e =
        catchThrowableOfType(
            DependencyException.class, injector.injectSupplier(List.of(d), deps -> 1)::get);
    assertThat(e).hasCause(full);
  }

  @Test
  void interruptWhileWaiting_cancelsConstructions_restoresTheFlag_andThrows() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch constructionInterrupted = new CountDownLatch(1);
    Dependency<String> slow =
        Dependency.of(
            "slow",
            () -> {
              started.countDown();
              try {
                never.await();
              } catch (InterruptedException e) {
                constructionInterrupted.countDown();
                Thread.currentThread().interrupt();
              }
              return "late";
            });
    Supplier<Integer> s = injector().injectSupplier(List.of(slow), deps -> 1);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flag = new AtomicBoolean();
    Thread caller =
        new Thread(
            () -> {
              try {
                thrown.set(new AssertionError("returned " + s.get()));
              } catch (RuntimeException e) {
                thrown.set(e);
                flag.set(Thread.currentThread().isInterrupted());
              }
            });
    caller.start();
    Fakes.await(started);
    caller.interrupt();
    caller.join(TimeUnit.SECONDS.toMillis(Fakes.WAIT_SECONDS));
    assertThat(thrown.get())
        .isInstanceOf(DependencyException.class)
        .hasCauseInstanceOf(InterruptedException.class)
        .hasMessage(
            "Interrupted while constructing dependencies ['slow']; the constructions were cancelled");
    assertThat(((DependencyException) thrown.get()).failures()).isEmpty();
    assertThat(flag).isTrue();
    Fakes.await(constructionInterrupted);
  }

  @Test
  void shared_underContention_isConstructedOnce() throws Exception {
    int threads = 8;
    AtomicInteger constructions = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    Dependency<Integer> config =
        Dependency.of("config", () -> constructions.incrementAndGet()).shared();
    Supplier<Integer> s = injector().injectSupplier(List.of(config), deps -> deps.get(config));
    List<Thread> callers = new ArrayList<>();
    List<Integer> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < threads; i++) {
      Thread t =
          new Thread(
              () -> {
                Fakes.await(go);
                seen.add(s.get());
              });
      t.start();
      callers.add(t);
    }
    go.countDown();
    for (Thread t : callers) {
      t.join(TimeUnit.SECONDS.toMillis(Fakes.WAIT_SECONDS));
    }
    assertThat(seen).hasSize(threads).containsOnly(1);
    assertThat(constructions).hasValue(1);
  }
}
