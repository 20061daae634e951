package io.dyno.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * A user's executor for the tests: one named thread that runs each task and then reports, on a
 * queue, what the task left behind on the thread (its interrupt flag, MDC and context class loader)
 * and anything the task threw out of {@code run()}. Before each task it installs the worker's own
 * MDC and class loader, so that a test can see them restored.
 */
final class WorkerExecutor implements Executor, AutoCloseable {

  /** What one task left on the worker thread after it returned. */
  record After(
      Thread thread,
      boolean interrupted,
      @Nullable Map<String, String> mdc,
      @Nullable ClassLoader contextClassLoader,
      @Nullable Throwable thrown) {}

  static final Map<String, String> OWN_MDC = Map.of("worker", "own");
  static final ClassLoader OWN_LOADER = new ClassLoader(null) {};

  private final ExecutorService thread;
  private final BlockingQueue<After> after = new LinkedBlockingQueue<>();
  private final AtomicInteger executed = new AtomicInteger();

  WorkerExecutor(String name) {
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void execute(Runnable task) {
    executed.incrementAndGet();
    thread.execute(
        () -> {
          Thread me = Thread.currentThread();
          MDC.setContextMap(OWN_MDC);
          me.setContextClassLoader(OWN_LOADER);
          Throwable thrown = null;
          try {
            task.run();
          } catch (RuntimeException | Error e) {
            thrown = e;
          }
          after.add(
              new After(
                  me,
                  me.isInterrupted(),
                  MDC.getCopyOfContextMap(),
                  me.getContextClassLoader(),
                  thrown));
          Thread.interrupted(); // never let one test's leak reach the next task
          MDC.clear();
        });
  }

  /** Waits for the next task to return from {@code run()} and says what it left behind. */
  After awaitTaskDone() throws InterruptedException {
    After a = after.poll(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(a).as("a task finished in time").isNotNull();
    return a;
  }

  /** How many tasks were handed to this executor. */
  int executed() {
    return executed.get();
  }

  boolean isShutdown() {
    return thread.isShutdown();
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      assertThat(thread.awaitTermination(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while closing the worker", e);
    }
  }
}
