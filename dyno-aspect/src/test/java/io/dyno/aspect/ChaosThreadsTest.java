package io.dyno.aspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Chaos filters where a thread boundary is the point: a switch flipped from another thread, an
 * injected delay interrupted from another thread, and filters installed and removed on a board
 * while other threads call. Threads are joined with latches and timeouts; nothing waits for time to
 * pass.
 */
class ChaosThreadsTest {

  private final AtomicInteger functionCalls = new AtomicInteger();

  private String function(String arg) {
    functionCalls.incrementAndGet();
    return "f(" + arg + ")";
  }

  @Test
  void theEnabledSwitch_flippedFromAnotherThread_takesEffectForTheNextCall() throws Exception {
    AtomicBoolean chaosOn = new AtomicBoolean(false);
    IllegalStateException injected = new IllegalStateException("injected");
    Chaos.Filter<String, String> filter =
        Chaos.<String, String>fault(1, () -> injected).enabled(chaosOn::get);
    Aspect<String, String> aspect = Aspect.of("payments", this::function);
    aspect.around(filter);

    assertThat(aspect.apply("a")).isEqualTo("f(a)");
    flipFromAnotherThread(chaosOn, true);
    assertThat(callFailure(aspect, "b")).isSameAs(injected);
    flipFromAnotherThread(chaosOn, false);
    assertThat(aspect.apply("c")).isEqualTo("f(c)");

    assertThat(filter.injected()).isEqualTo(1);
    assertThat(filter.passed()).isEqualTo(2);
    assertThat(functionCalls).hasValue(2);
  }

  private static void flipFromAnotherThread(AtomicBoolean flag, boolean value) throws Exception {
    CountDownLatch flipped = new CountDownLatch(1);
    Thread operator =
        new Thread(
            () -> {
              flag.set(value);
              flipped.countDown();
            },
            "operator");
    operator.start();
    assertThat(flipped.await(10, TimeUnit.SECONDS)).isTrue();
    operator.join(TimeUnit.SECONDS.toMillis(10));
  }

  private static Throwable callFailure(Aspect<String, String> aspect, String arg) {
    try {
      aspect.apply(arg);
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void anInterruptDuringAnInjectedSleep_endsTheCallAtOnce_withThatInterruptedException()
      throws Exception {
    CountDownLatch sleeping = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    AtomicReference<InterruptedException> sleepersOwn = new AtomicReference<>();
    Chaos.Filter<String, String> filter =
        Chaos.<String, String>latency(1, Duration.ofMinutes(5))
            .sleeper(
                d -> {
                  sleeping.countDown();
                  try {
                    never.await();
                  } catch (InterruptedException e) {
                    sleepersOwn.set(e);
                    throw e;
                  }
                });
    Aspect<String, String> aspect = Aspect.of("payments", this::function);
    aspect.around(filter);

    Outcome outcome = callOnAnotherThread(aspect, new CountDownLatch(1), sleeping);

    assertThat(outcome.failure()).isInstanceOf(InterruptedException.class);
    assertThat(outcome.failure()).isSameAs(sleepersOwn.get());
    assertThat(outcome.flagAfterwards()).as("the interrupt flag, set again").isTrue();
    assertThat(functionCalls).hasValue(0);
    assertThat(filter.injected()).isEqualTo(1);
  }

  @Test
  void anInterrupt_withTheRealSleeperAndALongDelay_endsTheCallWithAnInterruptedException()
      throws Exception {
    CountDownLatch calling = new CountDownLatch(1);
    Aspect<String, String> aspect = Aspect.of("payments", this::function);
    aspect.around(Chaos.latency(1, Duration.ofHours(1)));

    // Whether the interrupt lands before or during the sleep, the sleep ends at once.
    Outcome outcome = callOnAnotherThread(aspect, calling, calling);

    assertThat(outcome.failure()).isInstanceOf(InterruptedException.class);
    assertThat(outcome.flagAfterwards()).isTrue();
    assertThat(functionCalls).hasValue(0);
  }

  private record Outcome(Throwable failure, boolean flagAfterwards) {}

  /**
   * Calls {@code aspect} on a thread of its own, which counts {@code calling} down just before the
   * call; interrupts that thread once {@code ready} is counted down (by the sleeper, or by the
   * caller itself); and returns how the call ended.
   */
  private static Outcome callOnAnotherThread(
      Aspect<String, String> aspect, CountDownLatch calling, CountDownLatch ready)
      throws Exception {
    CompletableFuture<Outcome> ended = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                calling.countDown();
                String result = aspect.apply("x");
                ended.completeExceptionally(new AssertionError("returned " + result));
              } catch (Throwable t) {
                ended.complete(new Outcome(t, Thread.currentThread().isInterrupted()));
              }
            },
            "caller");
    caller.start();
    assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
    caller.interrupt();
    Outcome outcome = ended.get(10, TimeUnit.SECONDS);
    caller.join(TimeUnit.SECONDS.toMillis(10));
    return outcome;
  }

  @Test
  void installedAndRemovedOnABoard_whileOtherThreadsCall_eachCallSeesItOrNot() throws Exception {
    Aspects board = Aspects.create();
    Aspect<String, String> payments = board.advertise("payments", this::function);
    IllegalStateException injected = new IllegalStateException("injected");
    Chaos.Filter<String, String> chaos = Chaos.fault(1, () -> injected);
    int readers = 3;
    int installs = 500;
    ExecutorService pool = Executors.newFixedThreadPool(readers + 1);
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean changing = new AtomicBoolean(true);
    LongAdder faults = new LongAdder();
    LongAdder successes = new LongAdder();
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    List<Future<?>> tasks = new ArrayList<>();
    try {
      tasks.add(
          pool.submit(
              () -> {
                await(start);
                for (int i = 0; i < installs; i++) {
                  Aspect<String, String> aspect = board.aspect("payments");
                  Registration gameDay = aspect.around(chaos);
                  gameDay.remove();
                }
                changing.set(false);
                return null;
              }));
      for (int r = 0; r < readers; r++) {
        tasks.add(
            pool.submit(
                () -> {
                  await(start);
                  while (changing.get()) {
                    try {
                      if (payments.apply("x").equals("f(x)")) {
                        successes.increment();
                      } else {
                        unexpected.add(new AssertionError("a wrong result"));
                      }
                    } catch (IllegalStateException e) {
                      if (e == injected) {
                        faults.increment();
                      } else {
                        unexpected.add(e);
                      }
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> task : tasks) {
        task.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(unexpected).isEmpty();
    assertThat(chaos.injected()).as("injected").isEqualTo(faults.sum());
    assertThat(chaos.passed()).isZero();
    assertThat(functionCalls.get()).as("function calls").isEqualTo(successes.sum());
    assertThat(payments.filterCount()).isZero();
    assertThat(payments.apply("y")).isEqualTo("f(y)");
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
