package io.dyno.service;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dyno.breaker.Breaker;
import io.dyno.metrics.Metrics;
import io.dyno.retry.Retry;
import io.dyno.testing.Race;
import io.dyno.testing.ThreadKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * dyno-service on virtual threads: ten thousand calls blocked at once, each on a virtual thread of
 * its own, with no carrier thread pinned. Flight Recorder's {@code jdk.VirtualThreadPinned} event
 * (recorded at any duration) reports every park of a pinned virtual thread; a control case shows
 * that it does see one. Needs Java 21 or later; skipped before.
 */
class VirtualThreadPinningTest {

  private static final String PINNED = "jdk.VirtualThreadPinned";
  private static final int CALLS = 10_000;

  @BeforeEach
  void needsVirtualThreads() {
    assumeTrue(ThreadKind.VIRTUAL.isAvailable(), "virtual threads need Java 21 or later");
  }

  @Test
  void tenThousandConcurrentBlockingCalls_withAPoolOfTenThousand_pinNoCarrier() throws Exception {
    CountDownLatch arrived = new CountDownLatch(CALLS);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean allBlockedAtOnce = new AtomicBoolean();
    ExecutorService workers = ThreadKind.VIRTUAL.newExecutor("blocking-worker");
    List<RecordedEvent> pinned;
    // A first call loads and initializes the classes on the call's path: the JVM pins a virtual
    // thread that waits for another thread's class loading, once per class, whatever the library.
    try (Service<String> warmUp = pooled("warm-up", workers, () -> "done")) {
      assertThat(warmUp.call()).isEqualTo("done");
    }
    try (Service<String> service =
        pooled(
            "blocking",
            workers,
            () -> {
              arrived.countDown();
              if (!release.await(60, SECONDS)) {
                throw new IllegalStateException("never released");
              }
              return "done";
            })) {
      Thread releaser =
          ThreadKind.PLATFORM
              .factory("releaser")
              .newThread(
                  () -> {
                    try {
                      allBlockedAtOnce.set(arrived.await(60, SECONDS));
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    } finally {
                      release.countDown();
                    }
                  });
      releaser.start();
      pinned =
          pinnedDuring(
              () -> {
                List<String> results =
                    Race.run(ThreadKind.VIRTUAL, CALLS, Duration.ofMinutes(2), i -> service.call());
                assertThat(results).hasSize(CALLS).containsOnly("done");
              });
      releaser.join(SECONDS.toMillis(10));
      assertThat(allBlockedAtOnce).as("all %d calls blocked at once", CALLS).isTrue();
      assertThat(service.metrics().snapshot().successes()).isEqualTo(CALLS);
    } finally {
      workers.shutdown();
      assertThat(workers.awaitTermination(10, SECONDS)).isTrue();
    }
    assertThat(pinned).as(describe(pinned)).isEmpty();
  }

  @Test
  void control_aVirtualThreadBlockedInAClassInitializer_isSeenPinned() throws Exception {
    List<RecordedEvent> pinned =
        pinnedDuring(
            () -> {
              Thread t =
                  ThreadKind.VIRTUAL.factory("initializing").newThread(BlocksInInitializer::touch);
              t.start();
              assertThat(INITIALIZER_ENTERED.await(10, SECONDS)).isTrue();
              // Released before it parks, the initializer would return without parking at all.
              TestSupport.spinUntil(
                  "the initializer to park", () -> t.getState() == Thread.State.TIMED_WAITING);
              // The park is reported when it ends: let the initializer return.
              INITIALIZER_RELEASE.countDown();
              t.join(SECONDS.toMillis(10));
              assertThat(t.isAlive()).isFalse();
            });
    assertThat(pinned)
        .as("pinned parks seen while a class initializer blocked")
        .anySatisfy(e -> assertThat(e.toString()).contains("BlocksInInitializer"));
  }

  /** A service with every option that takes a lock or a queue, on a pool of {@code CALLS}. */
  private static Service<String> pooled(
      String name, ExecutorService workers, Callable<String> work) {
    return Service.builder(name, work)
        .executor(workers)
        .pool(CALLS)
        .breaker(Breaker.builder(name).build())
        .retry(Retry.builder(name).maxAttempts(2).build())
        .metrics(Metrics.builder(name).build())
        .build();
  }

  /** The {@code jdk.VirtualThreadPinned} events of any duration recorded while {@code work} ran. */
  private static List<RecordedEvent> pinnedDuring(Work work) throws Exception {
    Path file = Files.createTempFile("dyno-pinning", ".jfr");
    try (Recording recording = new Recording()) {
      recording.enable(PINNED).withThreshold(Duration.ZERO).withStackTrace();
      recording.start();
      work.run();
      recording.stop();
      recording.dump(file);
      return RecordingFile.readAllEvents(file).stream()
          .filter(e -> e.getEventType().getName().equals(PINNED))
          .toList();
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static List<String> frames(RecordedEvent event) {
    if (event.getStackTrace() == null) {
      return List.of();
    }
    return event.getStackTrace().getFrames().stream()
        .map(RecordedFrame::getMethod)
        .map(m -> m.getType().getName() + "." + m.getName())
        .toList();
  }

  private static String describe(List<RecordedEvent> pinned) {
    return pinned.size()
        + " pinned parks, the first at:\n"
        + pinned.stream()
            .limit(1)
            .flatMap(e -> frames(e).stream())
            .collect(Collectors.joining("\n  ", "  ", ""));
  }

  @FunctionalInterface
  private interface Work {
    void run() throws Exception;
  }

  /** Opened when {@link BlocksInInitializer}'s initializer runs. */
  private static final CountDownLatch INITIALIZER_ENTERED = new CountDownLatch(1);

  /** Lets {@link BlocksInInitializer}'s initializer return. */
  private static final CountDownLatch INITIALIZER_RELEASE = new CountDownLatch(1);

  /**
   * A class whose initializer parks its thread until released: the JVM pins a virtual thread that
   * initializes a class. Its latches live outside it, so that the test's own thread never starts
   * the initialization.
   */
  private static final class BlocksInInitializer {
    static final boolean READY = initialize();

    private static boolean initialize() {
      INITIALIZER_ENTERED.countDown();
      try {
        return INITIALIZER_RELEASE.await(10, SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    static void touch() {
      assertThat(READY).isTrue();
    }
  }
}
