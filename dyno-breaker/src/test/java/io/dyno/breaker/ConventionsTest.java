package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dyno.testing.FakeTicker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The conventions every dyno module follows (DESIGN.md §2), as they apply to dyno-breaker: time
 * through the builder's ticker, names checked alike, one toString shape, exceptions naming their
 * instance, one logger field, and the breaker's documented difference on interrupts.
 */
class ConventionsTest {

  private static final long SECOND = 1_000_000_000L;

  private final FakeTicker ticker = FakeTicker.create();

  @AfterEach
  void clearTheInterruptFlag() {
    Thread.interrupted();
  }

  // ---------------------------------------------------------------- time

  @Test
  void theTypesThatReadTime_takeItOnTheirBuilder() {
    assertThat(PublicApi.types())
        .contains(
            Breaker.class,
            BreakerBuilder.class,
            Limiter.class,
            Breakers.class,
            Throttle.class,
            Throttle.Builder.class);
    assertThat(PublicApi.declaring("ticker", LongSupplier.class))
        .containsExactlyInAnyOrder(
            BreakerBuilder.class, LimiterBuilder.class, Throttle.Builder.class);
    assertThat(PublicApi.declaring("clock", Clock.class)).as("no wall time is stamped").isEmpty();
  }

  @Test
  void theBuildersTicker_isTheOneTheBreakerReads() {
    Breaker b = Breaker.builder("payments").ticker(ticker).build();

    assertThat(b.ticker()).isSameAs(ticker);
    assertThat(ticker.reads()).as("the window's origin").isEqualTo(1);
  }

  // ---------------------------------------------------------------- names

  @Test
  void blankNames_areRefusedWithTheSharedMessage_byEveryFactory() {
    Breakers board = Breakers.create();
    List<ThrowingCallable> factories =
        List.of(
            () -> Breaker.builder(" "),
            () -> Breaker.manual(" "),
            () -> Limiter.of(" ", 1),
            () -> Limiter.builder(" "),
            () -> Limiter.adaptive(" "),
            () -> board.breaker(" "),
            () -> board.limiter(" ", 1),
            () -> board.adaptiveLimiter(" "),
            () -> Rollout.of(" ", 1),
            () -> board.rollout(" ", 1));
    for (ThrowingCallable factory : factories) {
      assertThatThrownBy(factory)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("name must not be blank, was ' '");
    }
    assertThat(board.states()).isEmpty();
  }

  @Test
  void nullNames_areRefusedNamingTheParameter_byEveryFactory() {
    Breakers board = Breakers.create();
    List<ThrowingCallable> factories =
        List.of(
            () -> Breaker.builder(null),
            () -> Breaker.manual(null),
            () -> Limiter.of(null, 1),
            () -> Limiter.builder(null),
            () -> Limiter.adaptive(null),
            () -> board.breaker(null),
            () -> board.limiter(null, 1),
            () -> board.adaptiveLimiter(null),
            () -> Rollout.of(null, 1),
            () -> board.rollout(null, 1),
            () -> board.find(null));
    for (ThrowingCallable factory : factories) {
      assertThatThrownBy(factory)
          .isInstanceOf(NullPointerException.class)
          .hasMessage("name must not be null");
    }
  }

  @Test
  void aDuplicateNameOnTheBoard_isAnIllegalArgumentException_namingIt() {
    Breakers board = Breakers.create();
    board.register(Breaker.builder("payments").build());
    board.limiter("exports", 4);

    assertThatThrownBy(() -> board.register(Breaker.manual("payments")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'payments'");
    assertThatThrownBy(() -> board.limiter("exports", 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'exports'");
  }

  @Test
  void aMissingNameOnTheBoard_isFoundEmpty_andBreakerCreatesTheFuse_asDocumented() {
    Breakers board = Breakers.create();
    board.breaker("new-checkout");

    assertThat(board.find("new-chekout")).isEmpty();
    assertThat(board.states()).containsOnlyKeys("new-checkout");
    Breaker created = board.breaker("new-chekout");
    assertThat(created.isManual()).isTrue();
    assertThat(board.states()).containsOnlyKeys("new-checkout", "new-chekout");
  }

  // ---------------------------------------------------------------- toString and exceptions

  @Test
  void toString_ofEachStatefulType_isItsTypeThenNameThenAFewKeyFields() {
    Breaker payments = Breaker.builder("payments").build();
    payments.trip();
    Breaker fuse = Breaker.manual("new-checkout");
    Limiter exports = Limiter.of("exports", 4);
    Breakers board = Breakers.create();
    board.register(payments);
    board.limiter("exports", 4);

    try (Limiter.Permit p = exports.acquire()) {
      assertThat(p).isNotNull();
      assertThat(exports).hasToString("Limiter[name=exports, inUse=1, permits=4]");
    }
    assertThat(payments).hasToString("Breaker[name=payments, state=FORCED_OPEN]");
    Breaker.Permit permit = fuse.acquirePermission();
    assertThat(permit).hasToString("Permit[new-checkout, CLOSED]");
    permit.release();
    assertThat(fuse).hasToString("Breaker[name=new-checkout, state=CLOSED, manual=true]");
    assertThat(board).hasToString("Breakers[breakers={payments=FORCED_OPEN}, limiters=[exports]]");
  }

  @Test
  void exceptions_nameTheirInstance_withName_andPrintDurationsInTheSharedFormat() {
    Breaker b =
        Breaker.builder("payments").minimumCalls(1).openDuration(Duration.ofMillis(250)).build();
    FailedCall.through(b);
    BreakerOpenException open =
        catchThrowableOfType(BreakerOpenException.class, () -> b.run(() -> {}));
    Limiter limiter = Limiter.of("exports", 1);
    LimitExceededException full;
    try (Limiter.Permit p = limiter.acquire()) {
      assertThat(p).isNotNull();
      full = catchThrowableOfType(LimitExceededException.class, limiter::acquire);
    }

    assertThat(open.name()).isEqualTo("payments").isEqualTo(open.breakerName());
    assertThat(open.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(open.getMessage())
        .startsWith("Breaker 'payments' is OPEN (100.0% failures in the last 10.0 s)")
        .matches(".*; next trial in [0-9.]+ ms");
    assertThat(full.name()).isEqualTo("exports").isEqualTo(full.limiterName());
  }

  // ---------------------------------------------------------------- interrupts: a documented
  // difference. The breaker never waits, so it has nothing of its own to stop; it neither sets
  // nor clears the flag, and does not count the interrupted call (see Breaker's javadoc).

  @Test
  void workInterrupted_leavesAsTheSameException_unrecorded_andTheBreakerDoesNotSetTheFlag() {
    Breaker b = Breaker.builder("payments").minimumCalls(1).ticker(ticker).build();
    interruptedCallComesOutUnchanged(b);

    assertThat(Thread.currentThread().isInterrupted())
        .as("the flag, as the work left it")
        .isFalse();
    assertThat(b.metrics().calls()).as("neither a success nor a failure").isZero();
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
  }

  @Test
  void workThatSetsTheFlag_keepsItSet_theBreakerClearsNothing() throws Exception {
    Breaker b = Breaker.builder("payments").ticker(ticker).build();

    String result =
        b.call(
            () -> {
              Thread.currentThread().interrupt();
              return "done";
            });

    assertThat(result).isEqualTo("done");
    assertThat(Thread.interrupted()).isTrue();
    assertThat(b.metrics().calls()).isEqualTo(1);
  }

  @Test
  void anInterruptedTrial_freesItsPermit_forTheNextTrial() {
    Breaker b =
        Breaker.builder("payments")
            .minimumCalls(1)
            .openDuration(Duration.ofSeconds(5))
            .ticker(ticker)
            .build();
    FailedCall.through(b);
    ticker.advance(5 * SECOND);
    interruptedCallComesOutUnchanged(b);
    assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);
    b.run(() -> {});

    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
  }

  @Test
  void limiter_workInterrupted_leavesUnchanged_andReleasesItsPermit_withoutSettingTheFlag() {
    Limiter limiter = Limiter.of("exports", 1);
    InterruptedException gaveUp = new InterruptedException("gave up");

    assertThatThrownBy(
            () ->
                limiter.call(
                    () -> {
                      throw gaveUp;
                    }))
        .isSameAs(gaveUp);

    assertThat(limiter.inUse()).isZero();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  // ---------------------------------------------------------------- helpers

  /** Calls work that throws an InterruptedException through {@code b}; the same one comes out. */
  private static void interruptedCallComesOutUnchanged(Breaker b) {
    InterruptedException gaveUp = new InterruptedException("gave up");
    assertThatThrownBy(
            () ->
                b.call(
                    () -> {
                      throw gaveUp;
                    }))
        .isSameAs(gaveUp);
  }
}
