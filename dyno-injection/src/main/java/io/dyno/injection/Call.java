package io.dyno.injection;

import io.dyno.injection.internal.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The dependencies of one injected function, and how one call of it constructs them. */
final class Call {

  private static final Logger LOG = LoggerFactory.getLogger("io.dyno.injection");

  private final List<Dependency<?>> dependencies;
  private final @Nullable Executor executor;
  private final IdentityHashMap<Dependency<?>, Object> overrides;
  private final LongSupplier ticker;

  Call(
      List<Dependency<?>> dependencies,
      @Nullable Executor executor,
      IdentityHashMap<Dependency<?>, Object> overrides,
      LongSupplier ticker) {
    this.dependencies = dependencies;
    this.executor = executor;
    this.overrides = overrides;
    this.ticker = ticker;
  }

  <R> R run(Function<Deps, ? extends R> body) {
    State state = new State(ticker);
    if (executor == null) {
      constructSequentially(state);
    } else {
      constructInParallel(state, executor);
    }
    // Close in reverse declaration order, whatever order the constructions finished in.
    for (Dependency<?> d : dependencies) {
      Object value = state.constructed.get(d);
      if (d.closesAfterCall() && value instanceof AutoCloseable closeable) {
        state.toClose.add(Map.entry(d, closeable));
      }
    }
    R result;
    try {
      result = body.apply(new Deps(state.values));
    } catch (RuntimeException | Error e) {
      for (DependencyFailure f : closeAfterCall(state)) {
        e.addSuppressed(f.cause());
      }
      throw e;
    }
    List<DependencyFailure> closeFailures = closeAfterCall(state);
    if (!closeFailures.isEmpty()) {
      throw new DependencyException(closeFailures);
    }
    return result;
  }

  /** What one call has so far: values, values to close after the body, failures. */
  private static final class State {
    final long start;
    final LongSupplier ticker;
    final IdentityHashMap<Dependency<?>, Object> values = new IdentityHashMap<>();
    final IdentityHashMap<Dependency<?>, Object> constructed = new IdentityHashMap<>();
    final List<Map.Entry<Dependency<?>, AutoCloseable>> toClose = new ArrayList<>();
    final List<DependencyFailure> failures = new ArrayList<>();

    State(LongSupplier ticker) {
      this.ticker = ticker;
      this.start = ticker.getAsLong();
    }

    Duration elapsed() {
      return Duration.ofNanos(ticker.getAsLong() - start);
    }
  }

  private void constructSequentially(State state) {
    List<Map.Entry<Dependency<?>, Object>> owned = new ArrayList<>();
    try {
      for (Dependency<?> d : dependencies) {
        Object override = overrides.get(d);
        if (override != null) {
          state.values.put(d, override);
          continue;
        }
        long t0 = ticker.getAsLong();
        Object value;
        try {
          value = d.construct();
        } catch (RuntimeException e) {
          failed(state, d, DependencyFailure.Kind.FAILED, e);
          continue;
        }
        if (d.ownedPerCall()) {
          owned.add(Map.entry(d, value));
        }
        Duration timeout = d.timeoutOrNull();
        if (timeout != null && ticker.getAsLong() - t0 > timeout.toNanos()) {
          failed(state, d, DependencyFailure.Kind.TIMED_OUT, timedOut(timeout));
          continue;
        }
        accept(state, d, value);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      DependencyException ex = interrupted(e);
      closeAll(owned, ex);
      throw ex;
    } catch (Error e) {
      closeAll(owned, e);
      throw e;
    }
    if (!state.failures.isEmpty()) {
      DependencyException ex = new DependencyException(state.failures);
      closeAll(owned, ex);
      throw ex;
    }
    // A value that timed out and was replaced by its fallback is not used: close it.
    owned.removeIf(e -> state.values.get(e.getKey()) == e.getValue());
    closeAll(owned, null);
  }

  private void constructInParallel(State state, Executor executor) {
    LinkedBlockingQueue<Slot> done = new LinkedBlockingQueue<>();
    List<Slot> slots = new ArrayList<>();
    for (Dependency<?> d : dependencies) {
      Object override = overrides.get(d);
      if (override != null) {
        state.values.put(d, override);
        continue;
      }
      Slot slot = Slot.of(d, state.start, done);
      slots.add(slot);
      try {
        executor.execute(slot);
      } catch (RejectedExecutionException e) {
        slot.reject(e);
      }
    }
    int pending = slots.size();
    try {
      while (pending > 0 && state.failures.isEmpty()) {
        // Ticker readings are compared by difference: they may be negative, or wrap past
        // Long.MAX_VALUE between a construction's start and its deadline.
        boolean timed = false;
        long wait = 0;
        long readAt = 0;
        for (Slot s : slots) {
          if (!s.finished && s.timed) {
            if (!timed) {
              timed = true;
              readAt = ticker.getAsLong();
              wait = s.deadline - readAt;
            } else {
              wait = Math.min(wait, s.deadline - readAt);
            }
          }
        }
        Slot s = timed ? done.poll(wait, TimeUnit.NANOSECONDS) : done.take();
        if (s == null) {
          long now = ticker.getAsLong();
          for (Slot t : slots) {
            if (!t.finished && t.timed && t.deadline - now <= 0) {
              t.finished = true;
              pending--;
              t.cancel(true);
              t.abandon(null);
              Duration timeout = t.dependency.timeoutOrNull();
              failed(state, t.dependency, DependencyFailure.Kind.TIMED_OUT, timedOut(timeout));
            }
          }
        } else if (!s.finished) {
          s.finished = true;
          pending--;
          try {
            accept(state, s.dependency, s.get());
          } catch (ExecutionException e) {
            Throwable cause = Objects.requireNonNull(e.getCause(), "cause must not be null");
            if (cause instanceof Error error) {
              abandonAll(slots, error);
              throw error;
            }
            failed(state, s.dependency, DependencyFailure.Kind.FAILED, cause);
          }
        }
      }
    } catch (InterruptedException e) {
      DependencyException ex = interrupted(e);
      abandonAll(slots, ex);
      Thread.currentThread().interrupt();
      throw ex;
    }
    if (!state.failures.isEmpty()) {
      // List the siblings that have failed too by now, so the message names every failure.
      for (Slot s : slots) {
        if (!s.finished && s.isDone() && !s.isCancelled()) {
          s.finished = true;
          Throwable cause = s.failure();
          if (cause != null && !(cause instanceof Error)) {
            failed(state, s.dependency, DependencyFailure.Kind.FAILED, cause);
          }
        }
      }
      DependencyException ex = new DependencyException(state.failures);
      abandonAll(slots, ex);
      throw ex;
    }
  }

  private DependencyException interrupted(InterruptedException e) {
    return new DependencyException(
        "Interrupted while constructing dependencies "
            + dependencies.stream()
                .map(d -> "'" + d.name() + "'")
                .collect(Collectors.joining(", ", "[", "]"))
            + "; the constructions were cancelled",
        e);
  }

  private static TimeoutException timedOut(@Nullable Duration timeout) {
    String limit = timeout == null ? "?" : Durations.format(timeout);
    return new TimeoutException("no value within its timeout of " + limit);
  }

  private static void abandonAll(List<Slot> slots, Throwable failure) {
    for (Slot s : slots) {
      s.cancel(true);
      s.abandon(failure);
    }
  }

  private static void accept(State state, Dependency<?> d, Object value) {
    state.values.put(d, value);
    state.constructed.put(d, value);
  }

  private static void failed(
      State state, Dependency<?> d, DependencyFailure.Kind kind, Throwable cause) {
    Supplier<?> fallback = d.fallback();
    if (fallback != null) {
      try {
        Object value = fallback.get();
        if (value == null) {
          throw new NullPointerException("Fallback of dependency '" + d.name() + "' returned null");
        }
        LOG.debug("Dependency '{}' {}; using its fallback", d.name(), kind, cause);
        state.values.put(d, value);
        return;
      } catch (RuntimeException e) {
        e.addSuppressed(cause);
        cause = e;
        kind = DependencyFailure.Kind.FAILED;
      }
    }
    state.failures.add(
        new DependencyFailure(d.name(), kind, state.elapsed(), cause, d.declaredAt()));
  }

  /** Closes the values marked close-after-call, last first, returning the failures. */
  private static List<DependencyFailure> closeAfterCall(State state) {
    List<DependencyFailure> failures = new ArrayList<>();
    for (int i = state.toClose.size() - 1; i >= 0; i--) {
      Map.Entry<Dependency<?>, AutoCloseable> e = state.toClose.get(i);
      try {
        e.getValue().close();
      } catch (Exception x) {
        if (x instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        Dependency<?> d = e.getKey();
        failures.add(
            new DependencyFailure(
                d.name(), DependencyFailure.Kind.CLOSE_FAILED, state.elapsed(), x, d.declaredAt()));
      }
    }
    state.toClose.clear();
    return failures;
  }

  /** Closes the closeable values, attaching close failures to {@code failure} or logging them. */
  private static void closeAll(
      List<Map.Entry<Dependency<?>, Object>> owned, @Nullable Throwable failure) {
    for (Map.Entry<Dependency<?>, Object> e : owned) {
      closeUnused(e.getKey(), e.getValue(), failure);
    }
  }

  static void closeUnused(Dependency<?> d, Object value, @Nullable Throwable failure) {
    if (!(value instanceof AutoCloseable closeable)) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception x) {
      if (x instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      if (failure != null) {
        failure.addSuppressed(x);
      } else {
        LOG.warn("Closing an unused value of dependency '{}' failed", d.name(), x);
      }
    }
  }

  /** One construction on the executor: its future, its deadline, and its value's ownership. */
  private static final class Slot extends FutureTask<Object> {
    private static final Object PENDING = new Object();
    private static final Object ABANDONED = new Object();

    final Dependency<?> dependency;

    /** Whether the dependency has a timeout; {@link #deadline} means nothing without one. */
    final boolean timed;

    /** The ticker's reading at which the construction times out, compared by difference. */
    final long deadline;

    private final LinkedBlockingQueue<Slot> done;
    private final AtomicReference<Object> value = new AtomicReference<>(PENDING);

    /** Read and written by the calling thread only. */
    boolean finished;

    private Slot(
        Dependency<?> dependency, long start, LinkedBlockingQueue<Slot> done, Construct work) {
      super(work);
      this.dependency = dependency;
      Duration timeout = dependency.timeoutOrNull();
      this.timed = timeout != null;
      this.deadline = timeout == null ? 0 : start + timeout.toNanos();
      this.done = done;
    }

    static Slot of(Dependency<?> dependency, long start, LinkedBlockingQueue<Slot> done) {
      Construct work = new Construct(dependency);
      Slot slot = new Slot(dependency, start, done, work);
      // Published to the executor's thread by Executor.execute, which happens-before the run.
      work.slot = slot;
      return slot;
    }

    /** The failure of a completed construction, or {@code null} if it returned a value. */
    @Nullable Throwable failure() {
      try {
        get();
        return null;
      } catch (ExecutionException e) {
        return e.getCause();
      } catch (InterruptedException e) {
        // Not reached: the construction is done, so get() does not wait.
        Thread.currentThread().interrupt();
        return e;
      }
    }

    void reject(RejectedExecutionException e) {
      setException(e);
    }

    @Override
    protected void done() {
      done.add(this);
    }

    /** Hands the value over to the call, or returns false when the call no longer wants it. */
    boolean deliver(Object v) {
      return dependency.ownedPerCall() ? value.compareAndSet(PENDING, v) : true;
    }

    /** Marks the value unwanted and closes it if it was already delivered. */
    void abandon(@Nullable Throwable failure) {
      Object previous = value.getAndSet(ABANDONED);
      if (previous != PENDING && previous != ABANDONED) {
        closeUnused(dependency, previous, failure);
      }
    }
  }

  /** Constructs a value on the executor and hands it to its slot. */
  private static final class Construct implements Callable<Object> {
    private final Dependency<?> dependency;
    @Nullable Slot slot;

    Construct(Dependency<?> dependency) {
      this.dependency = dependency;
    }

    @Override
    public Object call() throws InterruptedException {
      Object value = dependency.construct();
      Slot s = Objects.requireNonNull(slot, "slot must not be null");
      if (!s.deliver(value)) {
        // The call failed or timed out while this construction ran: nobody else will close it.
        closeUnused(dependency, value, null);
      }
      return value;
    }
  }
}
