package io.dyno.metrics.internal;

import java.util.List;

/** The fields the Hystrix dashboard requires of a HystrixCommand frame, for the stream's tests. */
public final class HystrixFields {

  /** Every required field, as listed by the Hystrix stream reference. */
  public static final List<String> REQUIRED =
      List.of(
          "reportingHosts",
          "type",
          "name",
          "group",
          "isCircuitBreakerOpen",
          "errorPercentage",
          "errorCount",
          "requestCount",
          "rollingCountCollapsedRequests",
          "rollingCountExceptionsThrown",
          "rollingCountFailure",
          "rollingCountFallbackFailure",
          "rollingCountFallbackRejection",
          "rollingCountFallbackSuccess",
          "rollingCountResponsesFromCache",
          "rollingCountSemaphoreRejected",
          "rollingCountShortCircuited",
          "rollingCountSuccess",
          "rollingCountThreadPoolRejected",
          "rollingCountTimeout",
          "rollingCountBadRequests",
          "currentConcurrentExecutionCount",
          "latencyExecute_mean",
          "latencyExecute",
          "propertyValue_circuitBreakerRequestVolumeThreshold",
          "propertyValue_circuitBreakerSleepWindowInMilliseconds",
          "propertyValue_circuitBreakerErrorThresholdPercentage",
          "propertyValue_circuitBreakerForceOpen",
          "propertyValue_circuitBreakerForceClosed",
          "propertyValue_executionIsolationStrategy",
          "propertyValue_executionIsolationThreadTimeoutInMilliseconds",
          "propertyValue_executionIsolationThreadInterruptOnTimeout",
          "propertyValue_executionIsolationSemaphoreMaxConcurrentRequests",
          "propertyValue_fallbackIsolationSemaphoreMaxConcurrentRequests",
          "propertyValue_requestCacheEnabled",
          "propertyValue_requestLogEnabled",
          "propertyValue_metricsRollingStatisticalWindowInMilliseconds");

  private HystrixFields() {}
}
