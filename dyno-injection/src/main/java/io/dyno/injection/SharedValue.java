package io.dyno.injection;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** A value constructed once, by the first caller, and shared; a failure is forgotten. */
final class SharedValue<T> {

  // A future rather than a lock: waiters block in CompletableFuture.get, which does not pin a
  // virtual thread, and can be interrupted.
  private final AtomicReference<@Nullable CompletableFuture<T>> ref = new AtomicReference<>();

  T get(Supplier<? extends T> supplier) throws InterruptedException {
    while (true) {
      CompletableFuture<T> current = ref.get();
      if (current != null) {
        try {
          return current.get();
        } catch (ExecutionException e) {
          // Only RuntimeExceptions and Errors complete the future exceptionally.
          Throwable cause = e.getCause();
          if (cause instanceof Error error) {
            throw error;
          }
          throw (RuntimeException) cause;
        }
      }
      CompletableFuture<T> mine = new CompletableFuture<>();
      if (!ref.compareAndSet(null, mine)) {
        continue;
      }
      try {
        T value = supplier.get();
        if (value == null) {
          throw new NullPointerException("shared supplier returned null");
        }
        mine.complete(value);
        return value;
      } catch (RuntimeException | Error e) {
        // Forget the failure before publishing it, so that the next call constructs again.
        ref.compareAndSet(mine, null);
        mine.completeExceptionally(e);
        throw e;
      }
    }
  }
}
