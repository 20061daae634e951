package io.dyno.examples.shop;

import io.dyno.timing.Timing;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The product of the page being built and whether its shopper sees the recommendations panel,
 * carried from the request's thread onto the threads that build its dependencies, together with the
 * request's {@link Timing}.
 *
 * <p>A dyno-injection dependency is constructed without the call's argument, so the request reaches
 * the constructions this way: {@link #carrying} wraps the injector's executor so that each task
 * sees the product, the panel and the timing of the thread that submitted it.
 *
 * <p>Thread-safe; one instance per shop.
 */
final class RequestContext {

  /** What the constructions need to know of a request. */
  private record Visit(String product, boolean panel) {}

  // One per shop, not static: shops side by side in one JVM (the demo's instances) keep apart.
  @SuppressWarnings("ThreadLocalUsage")
  private final ThreadLocal<@Nullable Visit> visit = new ThreadLocal<>();

  /**
   * Runs {@code work} with {@code product} as the product of this thread's request, whose shopper
   * sees the recommendations panel if {@code panel}.
   */
  <T> T with(String product, boolean panel, Supplier<T> work) {
    Visit outer = visit.get();
    visit.set(new Visit(product, panel));
    try {
      return work.get();
    } finally {
      visit.set(outer);
    }
  }

  /** Returns the product of this thread's request. */
  String product() {
    return current().product();
  }

  /** Returns whether the shopper of this thread's request sees the recommendations panel. */
  boolean panel() {
    return current().panel();
  }

  private Visit current() {
    Visit current = visit.get();
    if (current == null) {
      throw new IllegalStateException("no request in progress on " + Thread.currentThread());
    }
    return current;
  }

  /** Returns an executor that runs each task on {@code executor} in the submitter's context. */
  Executor carrying(Executor executor) {
    return task -> {
      Visit current = visit.get();
      Runnable timed = Timing.wrap(task);
      executor.execute(
          () -> {
            visit.set(current);
            try {
              timed.run();
            } finally {
              visit.remove();
            }
          });
    };
  }
}
