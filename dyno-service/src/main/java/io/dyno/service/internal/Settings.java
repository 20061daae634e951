package io.dyno.service.internal;

import io.dyno.breaker.Breaker;
import io.dyno.breaker.Limiter;
import io.dyno.breaker.Throttle;
import io.dyno.metrics.Metrics;
import io.dyno.retry.Retry;
import io.dyno.service.Hedge;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A service's configuration, validated by its builder.
 *
 * @param name the service's name
 * @param maxConcurrent the bulkhead's limit, or 0 for none
 * @param executor the user's executor, or null for the service's own pool (with a limit) or the
 *     caller's thread (without)
 * @param timeout the limit per attempt, or null for none
 * @param retry the retry, or null
 * @param breaker the breaker, or null
 * @param limiter the limiter, or null
 * @param throttle the throttle, or null
 * @param hedge the hedge, or null
 * @param metrics the metrics
 * @param scheduler the user's scheduler, or null for the service's own
 * @param propagateMdc whether to carry the SLF4J MDC onto the attempt's thread
 * @param propagateContextClassLoader whether to carry the context class loader
 * @param contextPropagators the user's context carriers, in order
 */
public record Settings(
    String name,
    int maxConcurrent,
    @Nullable Executor executor,
    @Nullable Duration timeout,
    @Nullable Retry retry,
    @Nullable Breaker breaker,
    @Nullable Limiter limiter,
    @Nullable Throttle throttle,
    @Nullable Hedge hedge,
    Metrics metrics,
    @Nullable ScheduledExecutorService scheduler,
    boolean propagateMdc,
    boolean propagateContextClassLoader,
    List<UnaryOperator<Runnable>> contextPropagators) {}
