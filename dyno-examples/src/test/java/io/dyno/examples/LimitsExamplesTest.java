package io.dyno.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.breaker.Breakers;
import io.dyno.breaker.LimitExceededException;
import io.dyno.breaker.Limiter;
import io.dyno.breaker.Throttle;
import io.dyno.breaker.ThrottledException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adaptive limiter and the throttle of docs/breaker.md ("## Limiter", "## Throttle"), run: each
 * snippet of those sections appears here line for line.
 */
class LimitsExamplesTest {

  private static final Logger log = LoggerFactory.getLogger(LimitsExamplesTest.class);

  /** A failure of input, which says nothing about the backend's health. */
  static final class ValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  interface Order {}

  /** A gateway that answers as told. */
  static final class Gateway {
    IOException failure;
    int charged;

    void charge(Order order) throws IOException {
      if (failure != null) {
        throw failure;
      }
      charged++;
    }
  }

  /** Reports that fail with what they are told. */
  static final class Reports {
    RuntimeException failure;

    String export(String month) {
      if (failure != null) {
        throw failure;
      }
      return "report of " + month;
    }
  }

  private final Reports reports = new Reports();
  private final String month = "2026-11";
  private final Gateway gateway = new Gateway();
  private final Order order = new Order() {};

  @Test
  void adaptiveLimiters_startAtTheirInitialLimit_andTimeTheirCalls() throws Exception {
    Limiter search = Limiter.adaptive("search"); // Gradient2: starts at 20, between 20 and 200
    String hits = search.call(() -> reports.export(month)); // timed, or LimitExceededException
    Limiter db =
        Limiter.builder("db")
            .gradient2(g -> g.initialLimit(20).minLimit(10).maxLimit(100).rttTolerance(2.0))
            .droppedWhen(t -> t instanceof TimeoutException)
            .build();
    Limiter batch = Limiter.builder("batch").aimd(a -> a.timeout(Duration.ofSeconds(2))).build();
    Limiter steady = Limiter.builder("steady").vegas(v -> v.maxLimit(500)).build();
    int now = db.limit(); // 20 at first; db.algorithm() is "gradient2"

    assertThat(hits).isEqualTo("report of 2026-11");
    assertThat(now).isEqualTo(20);
    assertThat(db.algorithm()).isEqualTo("gradient2");
    assertThat(batch.algorithm()).isEqualTo("aimd");
    assertThat(steady.algorithm()).isEqualTo("vegas");
    assertThat(search.inFlight()).isZero();
  }

  @Test
  void callerTimedSamples_releaseExactlyOnce_andADropBacksOff() throws Exception {
    Limiter db = Limiter.builder("db").aimd(a -> a.initialLimit(20).minLimit(1)).build();
    charge(db);
    assertThat(gateway.charged).isEqualTo(1);
    assertThat(db.limit()).isEqualTo(20);

    gateway.failure = new java.net.SocketTimeoutException("read timed out");
    assertThatThrownBy(() -> charge(db)).isSameAs(gateway.failure);
    assertThat(db.limit()).isEqualTo(18);

    gateway.failure = new IOException("connection refused");
    assertThatThrownBy(() -> charge(db)).isSameAs(gateway.failure);
    assertThat(db.limit()).isEqualTo(18);
    assertThat(db.inFlight()).isZero();

    for (int i = 0; i < 18; i++) {
      assertThat(db.tryAcquire()).isTrue();
    }
    assertThatThrownBy(() -> charge(db))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("db is busy, 18 calls in flight");
  }

  /** The caller-timed snippet, as the body of a method. */
  private void charge(Limiter db) throws IOException {
    if (!db.tryAcquire()) {
      throw new IllegalStateException("db is busy, " + db.inFlight() + " calls in flight");
    }
    long start = System.nanoTime();
    try {
      gateway.charge(order);
      db.onSuccess(System.nanoTime() - start); // gives the permit back with the sample
    } catch (java.net.SocketTimeoutException e) {
      db.onDropped(); // a loss: the limit backs off
      throw e;
    } catch (IOException | RuntimeException e) {
      db.release(); // no sample
      throw e;
    }
  }

  @Test
  void aListener_hearsEachChange() {
    Limiter db = Limiter.builder("db").aimd(a -> a.initialLimit(20).minLimit(1)).build();
    List<Limiter.Change> heard = new ArrayList<>();
    db.onChange(heard::add);
    db.onChange(c -> log.info("limit of {}: {} -> {}", c.name(), c.previous(), c.limit()));

    db.acquire().dropped();

    assertThat(heard).containsExactly(new Limiter.Change("db", 20, 18));
  }

  @Test
  void aFullAdaptiveLimiter_namesItsLimitAndAlgorithm_andTheBoardListsIt() {
    Breakers board = Breakers.create();
    Limiter search = board.adaptiveLimiter("search");
    for (int i = 0; i < 20; i++) {
      assertThat(search.tryAcquire()).isTrue();
    }

    assertThatThrownBy(() -> search.run(() -> {}))
        .isInstanceOf(LimitExceededException.class)
        .hasMessage(
            "Limiter 'search' is full (20 of 20 in flight, adaptive limit 20 by gradient2);"
                + " call not permitted");
    assertThat(board.limiters()).containsKey("search");
  }

  @Test
  void aThrottle_letsCallsThroughWhileTheBackendAccepts_andShedsWhenItRejects() {
    Throttle search =
        Throttle.builder("search")
            .window(Duration.ofMinutes(2), 12)
            .k(2)
            .accepted(t -> t instanceof ValidationException) // the backend answered: not overload
            .build();
    String found = search.get(() -> reports.export(month)); // or ThrottledException
    double p = search.probability(); // 0.0 while the backend accepts everything

    assertThat(found).isEqualTo("report of 2026-11");
    assertThat(p).isZero();
    reports.failure = new ValidationException();
    assertThatThrownBy(() -> search.get(() -> reports.export(month))).isSameAs(reports.failure);
    assertThat(search.probability()).as("a validation error is an accept").isZero();

    reports.failure = new IllegalStateException("overloaded");
    int throttled = 0;
    for (int i = 0; i < 200; i++) {
      try {
        search.get(() -> reports.export(month));
      } catch (ThrottledException e) {
        throttled++;
      } catch (IllegalStateException e) {
        assertThat(e).hasMessage("overloaded");
      }
    }
    assertThat(search.probability()).isGreaterThan(0.5);
    assertThat(throttled).isPositive();
  }
}
