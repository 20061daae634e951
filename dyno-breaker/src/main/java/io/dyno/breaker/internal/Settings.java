package io.dyno.breaker.internal;

import io.dyno.breaker.CallEvent;
import io.dyno.breaker.StateChange;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A breaker's configuration, validated by the builder and immutable from then on.
 *
 * @param name the breaker's name
 * @param manual whether the breaker is a fuse that counts nothing
 * @param failureRateThreshold percent of failures at which the breaker opens
 * @param slowCallRateThreshold percent of slow calls at which the breaker opens
 * @param minimumCalls calls the window must hold before it is judged
 * @param window the length of the rolling window
 * @param buckets how many buckets the window is counted in
 * @param slowCallThreshold how long a call may take before it is slow, or null
 * @param openDuration how long the breaker stays open
 * @param halfOpenCalls trial calls let through when half-open
 * @param halfOpenTimeout how long trial calls may take to report
 * @param recordOn the throwable types counted as failures; empty for all
 * @param ignore the throwable types not recorded at all
 * @param resultFailure accepts results that count as failures, or null
 * @param onStateChange state-change listeners
 * @param onCall call listeners
 * @param ticker the monotonic clock, in nanoseconds
 * @param writableStackTrace whether rejections carry a stack trace
 */
public record Settings(
    String name,
    boolean manual,
    double failureRateThreshold,
    double slowCallRateThreshold,
    int minimumCalls,
    Duration window,
    int buckets,
    @Nullable Duration slowCallThreshold,
    Duration openDuration,
    int halfOpenCalls,
    Duration halfOpenTimeout,
    List<Class<? extends Throwable>> recordOn,
    List<Class<? extends Throwable>> ignore,
    @Nullable Predicate<Object> resultFailure,
    List<Consumer<? super StateChange>> onStateChange,
    List<Consumer<? super CallEvent>> onCall,
    LongSupplier ticker,
    boolean writableStackTrace) {

  /** Copies the lists, so that later changes to the builder's lists are not seen. */
  public Settings {
    recordOn = List.copyOf(recordOn);
    ignore = List.copyOf(ignore);
    onStateChange = List.copyOf(onStateChange);
    onCall = List.copyOf(onCall);
  }

  /**
   * Returns the slow-call threshold in nanoseconds, or {@code Long.MAX_VALUE} when there is none.
   *
   * @return the threshold
   */
  public long slowNanos() {
    Duration d = slowCallThreshold;
    return d == null ? Long.MAX_VALUE : Durations.toNanosSaturated(d);
  }
}
