package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * An adaptive {@link Limiter} times its own calls on the builder's ticker: call, get, run and
 * {@link Limiter.Permit}; {@code droppedWhen} tells a loss from a failure that says nothing; and
 * the listeners hear every change.
 *
 * <p>The probe is AIMD starting at 2 with a 5 ms timeout: a fast call with the limit half used
 * grows it to 3, a slow call or a drop takes it back down to 2, and no sample leaves it as it is.
 */
class LimiterTimingTest {

  private final FakeTicker ticker = FakeTicker.create();

  private Limiter aimd() {
    return Limiter.builder("db")
        .aimd(a -> a.initialLimit(1).minLimit(1).maxLimit(10).timeout(Duration.ofMillis(5)))
        .ticker(ticker)
        .build();
  }

  @Test
  void call_get_andRun_timeTheWorkOnTheTicker() throws Exception {
    Limiter db = aimd();

    assertThat(db.call(() -> "fast")).isEqualTo("fast");
    assertThat(db.limit()).as("a window of one success at a limit of 1").isEqualTo(2);
    assertThat(
            db.get(
                () -> {
                  ticker.advance(Duration.ofMillis(6));
                  return "slow";
                }))
        .isEqualTo("slow");
    assertThat(db.limit()).isEqualTo(1);
    db.run(() -> ticker.advance(Duration.ofMillis(1)));
    assertThat(db.limit()).isEqualTo(2);
    assertThat(db.tryAcquire()).isTrue(); // 2 in flight with the next call: 2 x 2 >= 2
    db.run(() -> ticker.advance(Duration.ofMillis(5)));
    db.run(() -> ticker.advance(Duration.ofMillis(5)));
    db.release();
    assertThat(db.limit()).as("exactly the timeout is not slower than it").isEqualTo(3);
    assertThat(db.inFlight()).isZero();
    assertThat(ticker.reads()).isEqualTo(10);
  }

  @Test
  void aTimeout_isADrop_byDefault_andOtherFailuresAreNoSample() {
    Limiter db = aimd();
    db.run(() -> {});
    assertThat(db.limit()).isEqualTo(2);

    TimeoutException timeout = new TimeoutException("no answer");
    assertThatThrownBy(
            () ->
                db.call(
                    () -> {
                      throw timeout;
                    }))
        .isSameAs(timeout);
    assertThat(db.limit()).isEqualTo(1);
    IllegalArgumentException bad = new IllegalArgumentException("bad request");
    assertThatThrownBy(
            () ->
                db.run(
                    () -> {
                      throw bad;
                    }))
        .isSameAs(bad);
    AssertionError error = new AssertionError("broken");
    assertThatThrownBy(
            () ->
                db.get(
                    () -> {
                      throw error;
                    }))
        .isSameAs(error);

    assertThat(db.limit()).isEqualTo(1);
    assertThat(db.inFlight()).isZero();
  }

  @Test
  void withoutDroppedWhen_aFailureOtherThanATimeout_givesThePermitBackWithoutLoweringTheLimit() {
    Limiter db =
        Limiter.builder("db").aimd(a -> a.initialLimit(10).minLimit(1)).ticker(ticker).build();
    IOException failure = new IOException("connection reset");

    assertThatThrownBy(
            () ->
                db.call(
                    () -> {
                      throw failure;
                    }))
        .isSameAs(failure);

    assertThat(db.limit()).as("no loss, so no back-off").isEqualTo(10);
    assertThat(db.inFlight()).isZero();
  }

  @Test
  void droppedWhen_decidesWhichFailuresAreALoss() {
    Limiter db =
        Limiter.builder("db")
            .aimd(a -> a.initialLimit(10).minLimit(1))
            .droppedWhen(t -> t instanceof IllegalStateException)
            .ticker(ticker)
            .build();

    assertThatThrownBy(
            () ->
                db.run(
                    () -> {
                      throw new IllegalStateException("overloaded");
                    }))
        .hasMessage("overloaded");
    assertThat(db.limit()).isEqualTo(9);
    assertThatThrownBy(
            () ->
                db.call(
                    () -> {
                      throw new TimeoutException("not a loss here");
                    }))
        .isInstanceOf(TimeoutException.class);
    assertThat(db.limit()).isEqualTo(9);
  }

  @Test
  void aDroppedWhenThatThrows_isNoSample_andTravelsAsSuppressed() {
    IllegalStateException broken = new IllegalStateException("predicate broken");
    Limiter db =
        Limiter.builder("db")
            .aimd(a -> a.initialLimit(10).minLimit(1))
            .droppedWhen(
                t -> {
                  throw broken;
                })
            .ticker(ticker)
            .build();
    IOException failure = new IOException("disk full");

    assertThatThrownBy(
            () ->
                db.call(
                    () -> {
                      throw failure;
                    }))
        .isSameAs(failure);

    assertThat(failure.getSuppressed()).containsExactly(broken);
    assertThat(db.limit()).isEqualTo(10);
    assertThat(db.inFlight()).isZero();
  }

  @Test
  void aPermit_timesFromAcquire_andCountsItsFirstEndOnly() {
    Limiter db = aimd();

    Limiter.Permit fast = db.acquire();
    fast.close();
    fast.close();
    fast.dropped();
    assertThat(db.limit()).isEqualTo(2);

    try (Limiter.Permit slow = db.acquire()) {
      assertThat(db.inFlight()).isEqualTo(1);
      ticker.advance(Duration.ofMillis(10));
      assertThat(slow).isNotNull();
    }
    assertThat(db.limit()).isEqualTo(1);
    db.acquire().close();
    assertThat(db.limit()).isEqualTo(2);

    Limiter.Permit lost = db.acquire();
    lost.dropped();
    lost.close();
    assertThat(db.limit()).isEqualTo(1);

    Limiter.Permit ignored = db.acquire();
    ticker.advance(Duration.ofMillis(10));
    ignored.ignore();
    ignored.close();
    assertThat(db.limit()).isEqualTo(1);
    assertThat(db.inFlight()).isZero();
  }

  @Test
  void aFixedLimiter_neverReadsTheTicker() throws Exception {
    Limiter fixed = Limiter.builder("exports").permits(2).ticker(ticker).build();

    fixed.call(() -> "x");
    fixed.acquire().dropped();
    fixed.acquire().close();

    assertThat(ticker.reads()).isZero();
    assertThat(fixed.inFlight()).isZero();
  }

  @Test
  void listeners_hearEveryChange_inTheOrderAdded_andABrokenOneIsLogged() throws Exception {
    Limiter db =
        Limiter.builder("db-listened")
            .aimd(a -> a.initialLimit(2).minLimit(1).maxLimit(3))
            .ticker(ticker)
            .build();
    List<String> heard = new ArrayList<>();
    db.onChange(c -> heard.add("first " + c))
        .onChange(
            c -> {
              throw new IllegalStateException("listener broken");
            })
        .onChange(c -> heard.add("second " + c.previous() + "->" + c.limit()));

    db.run(() -> {}); // 2 -> 3
    db.run(() -> {}); // at the maximum: no change, nothing told
    db.acquire().dropped(); // 3 -> 2

    assertThat(heard)
        .containsExactly(
            "first Change[name=db-listened, previous=2, limit=3]",
            "second 2->3",
            "first Change[name=db-listened, previous=3, limit=2]",
            "second 3->2");
    assertThat(Files.readString(Path.of("target/test.log"), StandardCharsets.UTF_8))
        .contains("Limiter 'db-listened': onChange listener")
        .contains("listener broken");
  }
}
