package io.dyno.examples.shop;

import io.dyno.timing.Timing;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The product of the page being built, carried from the request's thread onto the threads that
 * build its dependencies, together with the request's {@link Timing}.
 *
 * <p>A dyno-injection dependency is constructed without the call's argument, so the request reaches
 * the constructions this way: {@link #carrying} wraps the injector's executor so that each task
 * sees the product and the timing of the thread that submitted it.
 *
 * <p>Thread-safe; one instance per shop.
 */
final class RequestContext {

  private final ThreadLocal<@Nullable String> product = new ThreadLocal<>();

  /** Runs {@code work} with {@code current} as the product of this thread's request. */
  <T> T with(String current, Supplier<T> work) {
    String outer = product.get();
    product.set(current);
    try {
      return work.get();
    } finally {
      product.set(outer);
    }
  }

  /** Returns the product of this thread's request. */
  String product() {
    String current = product.get();
    if (current == null) {
      throw new IllegalStateException("no request in progress on " + Thread.currentThread());
    }
    return current;
  }

  /** Returns an executor that runs each task on {@code executor} in the submitter's context. */
  Executor carrying(Executor executor) {
    return task -> {
      String current = product.get();
      Runnable timed = Timing.wrap(task);
      executor.execute(
          () -> {
            product.set(current);
            try {
              timed.run();
            } finally {
              product.remove();
            }
          });
    };
  }
}
