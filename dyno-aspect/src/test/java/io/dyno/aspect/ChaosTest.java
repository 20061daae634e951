package io.dyno.aspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The four chaos filters on one thread: rates and draws, counts, what each does to a call it
 * injects into, bad input, and {@code toString}. Randomness and sleeping are injected, so nothing
 * here waits.
 */
class ChaosTest {

  private static final int CALLS = 10_000;
  private static final double RATE = 0.3;

  private final List<String> trace = new ArrayList<>();
  private final List<Duration> slept = new ArrayList<>();
  private final AtomicInteger functionCalls = new AtomicInteger();
  private final IllegalStateException injectedFault = new IllegalStateException("injected");

  /** The function every aspect here wraps: it records the call and answers {@code f(arg)}. */
  private String function(String arg) {
    functionCalls.incrementAndGet();
    trace.add("function(" + arg + ")");
    return "f(" + arg + ")";
  }

  /** A generator that fails the test if a filter draws from it. */
  private static final RandomGenerator NO_DRAWS =
      () -> {
        throw new AssertionError("the filter drew a random number");
      };

  /** Each kind of filter, made so that whether a call was injected into can be seen from it. */
  enum Kind {
    FAULT,
    LATENCY,
    OUTCOME,
    BEHAVIOUR;

    Chaos.Filter<String, String> make(ChaosTest t, double rate) {
      return switch (this) {
        case FAULT -> Chaos.<String, String>fault(rate, () -> t.injectedFault);
        case LATENCY ->
            Chaos.<String, String>latency(rate, Duration.ofMillis(200)).sleeper(t.slept::add);
        case OUTCOME -> Chaos.<String, String>outcome(rate, r -> "corrupted " + r);
        case BEHAVIOUR -> Chaos.<String, String>behaviour(rate, () -> t.trace.add("behaviour"));
      };
    }

    /** Calls the aspect once and says whether the filter injected into the call. */
    boolean injectedInto(ChaosTest t, Aspect<String, String> aspect) {
      int traced = t.trace.size();
      int sleeps = t.slept.size();
      String result;
      try {
        result = aspect.apply("x");
      } catch (IllegalStateException e) {
        assertThat(e).isSameAs(t.injectedFault);
        return true;
      }
      return switch (this) {
        case FAULT -> false;
        case LATENCY -> t.slept.size() > sleeps;
        case OUTCOME -> result.startsWith("corrupted ");
        case BEHAVIOUR -> t.trace.subList(traced, t.trace.size()).contains("behaviour");
      };
    }
  }

  private Aspect<String, String> aspectWith(Chaos.Filter<String, String> filter) {
    Aspect<String, String> aspect = Aspect.of("echo", this::function);
    aspect.around(filter);
    return aspect;
  }

  // ---------------------------------------------------------------- rates and counts

  @ParameterizedTest
  @EnumSource(Kind.class)
  void rateZero_neverInjects_neverDraws_andCallsTheFunctionEveryTime(Kind kind) {
    Chaos.Filter<String, String> filter = kind.make(this, 0).random(NO_DRAWS);
    Aspect<String, String> aspect = aspectWith(filter);

    for (int i = 0; i < 100; i++) {
      assertThat(kind.injectedInto(this, aspect)).isFalse();
    }

    assertThat(functionCalls).hasValue(100);
    assertThat(filter.injected()).isZero();
    assertThat(filter.passed()).isEqualTo(100);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void rateOne_alwaysInjects_withoutDrawing(Kind kind) {
    Chaos.Filter<String, String> filter = kind.make(this, 1).random(NO_DRAWS);
    Aspect<String, String> aspect = aspectWith(filter);

    for (int i = 0; i < 100; i++) {
      assertThat(kind.injectedInto(this, aspect)).isTrue();
    }

    assertThat(functionCalls).hasValue(kind == Kind.FAULT ? 0 : 100);
    assertThat(filter.injected()).isEqualTo(100);
    assertThat(filter.passed()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aRateBetween_injectsIntoThatShare_andASeededRunIsReproducible(Kind kind) {
    long first = injectionsOver(kind, CALLS, 20261205L);
    long second = injectionsOver(kind, CALLS, 20261205L);

    double mean = CALLS * RATE;
    double sigma = Math.sqrt(CALLS * RATE * (1 - RATE));
    assertThat((double) first).isBetween(mean - 4.5 * sigma, mean + 4.5 * sigma);
    assertThat(second).isEqualTo(first);
  }

  /** Counts the injections of {@code calls} calls, checking them against the filter's counts. */
  private long injectionsOver(Kind kind, int calls, long seed) {
    Chaos.Filter<String, String> filter = kind.make(this, RATE).random(new SplittableRandom(seed));
    Aspect<String, String> aspect = aspectWith(filter);
    int before = functionCalls.get();
    long injected = 0;
    for (int i = 0; i < calls; i++) {
      if (kind.injectedInto(this, aspect)) {
        injected++;
      }
    }
    assertThat(filter.injected()).isEqualTo(injected);
    assertThat(filter.passed()).isEqualTo(calls - injected);
    assertThat(functionCalls.get() - before)
        .as("function calls")
        .isEqualTo(kind == Kind.FAULT ? calls - injected : calls);
    return injected;
  }

  @Test
  void aDraw_injectsExactlyWhenTheNumberDrawnIsBelowTheRate() {
    double[] draws = {0.29, 0.3, 0.0, 0.99, 0.2999};
    AtomicInteger next = new AtomicInteger();
    RandomGenerator scripted = new Scripted(draws, next);
    Chaos.Filter<String, String> filter =
        Chaos.<String, String>outcome(RATE, r -> "corrupted " + r).random(scripted);
    Aspect<String, String> aspect = aspectWith(filter);

    List<String> results = new ArrayList<>();
    for (int i = 0; i < draws.length; i++) {
      results.add(aspect.apply("x"));
    }

    assertThat(results)
        .containsExactly("corrupted f(x)", "f(x)", "corrupted f(x)", "f(x)", "corrupted f(x)");
    assertThat(next).hasValue(draws.length);
  }

  @Test
  void theEnabledSwitch_isReadOncePerCall_andWhenOff_letsTheCallThroughWithoutADraw() {
    AtomicInteger reads = new AtomicInteger();
    boolean[] on = {false};
    BooleanSupplier enabled =
        () -> {
          reads.incrementAndGet();
          return on[0];
        };
    Chaos.Filter<String, String> filter =
        Chaos.<String, String>latency(1, Duration.ofSeconds(1))
            .sleeper(slept::add)
            .enabled(enabled)
            .random(NO_DRAWS);
    Aspect<String, String> aspect = aspectWith(filter);

    assertThat(aspect.apply("a")).isEqualTo("f(a)");
    on[0] = true;
    assertThat(aspect.apply("b")).isEqualTo("f(b)");

    assertThat(reads).hasValue(2);
    assertThat(slept).containsExactly(Duration.ofSeconds(1));
    assertThat(filter.passed()).isEqualTo(1);
    assertThat(filter.injected()).isEqualTo(1);
  }

  @Test
  void anOffSwitch_drawsNothing_evenAtARateBetween() {
    Chaos.Filter<String, String> filter =
        Chaos.<String, String>fault(0.5, () -> injectedFault).enabled(() -> false);
    Aspect<String, String> aspect = aspectWith(filter.random(NO_DRAWS));

    assertThat(aspect.apply("x")).isEqualTo("f(x)");
  }

  @Test
  void withoutAGenerator_aRateBetween_drawsFromTheCallingThread_injectingIntoSomeCallsOnly() {
    Chaos.Filter<String, String> filter = Chaos.outcome(0.5, r -> "corrupted " + r);
    Aspect<String, String> aspect = aspectWith(filter);

    int corrupted = 0;
    for (int i = 0; i < CALLS; i++) {
      if (aspect.apply("x").startsWith("corrupted ")) {
        corrupted++;
      }
    }

    // Whatever ThreadLocalRandom draws: at rate 0.5, all 10,000 calls injected into (or none) has
    // probability 2^-10,000 each, so some are injected and some passed.
    assertThat(corrupted).isStrictlyBetween(0, CALLS);
    assertThat(filter.injected()).isEqualTo(corrupted);
    assertThat(filter.injected() + filter.passed()).isEqualTo(CALLS);
    assertThat(functionCalls).hasValue(CALLS);
  }

  @Test
  void withers_returnNewFilters_withTheirOwnCounts_andLeaveTheOriginalAsItWas() {
    Chaos.Filter<String, String> original = Chaos.behaviour(1, () -> trace.add("behaviour"));
    Chaos.Filter<String, String> named = original.name("noisy");
    Chaos.Filter<String, String> off = named.enabled(() -> false);

    aspectWith(named).apply("x");
    aspectWith(off).apply("y");

    assertThat(original.name()).isEqualTo("behaviour");
    assertThat(named.name()).isEqualTo("noisy");
    assertThat(off.name()).isEqualTo("noisy");
    assertThat(original.rate()).isEqualTo(1.0);
    assertThat(original.injected()).isZero();
    assertThat(named.injected()).isEqualTo(1);
    assertThat(off.passed()).isEqualTo(1);
    assertThat(off.injected()).isZero();
  }

  // ---------------------------------------------------------------- fault

  @Test
  void fault_throwsTheSameInstance_checkedOnesToo_withoutCallingTheFunction() {
    IOException reset = new IOException("connection reset");
    Chaos.Filter<String, String> filter = Chaos.fault(1, () -> reset);
    Aspect<String, String> aspect = aspectWith(filter);

    Throwable thrown = catchThrowable(() -> aspect.apply("x"));

    assertThat(thrown).isSameAs(reset);
    assertThat(thrown.getSuppressed()).isEmpty();
    assertThat(functionCalls).hasValue(0);
    assertThat(filter.injected()).isEqualTo(1);
  }

  @Test
  void fault_throwsErrorsAsTheyAre_andANewFailureEachTimeItsSupplierMakesOne() {
    StackOverflowError overflow = new StackOverflowError("injected");
    Aspect<String, String> errors = aspectWith(Chaos.fault(1, () -> overflow));
    assertThatThrownBy(() -> errors.apply("x")).isSameAs(overflow);

    Aspect<String, String> fresh =
        aspectWith(Chaos.fault(1, () -> new IllegalStateException("down")));
    Throwable first = catchThrowable(() -> fresh.apply("x"));
    Throwable second = catchThrowable(() -> fresh.apply("x"));
    assertThat(first).isNotSameAs(second).hasMessage("down");
  }

  @Test
  void fault_whoseSupplierReturnsNull_failsNamingTheFilter() {
    Supplier<Throwable> nothing = () -> nothing();
    Aspect<String, String> aspect =
        aspectWith(Chaos.<String, String>fault(1, nothing).name("dropper"));

    assertThatThrownBy(() -> aspect.apply("x"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("fault of chaos filter 'dropper' returned null");
    assertThat(functionCalls).hasValue(0);
  }

  // ---------------------------------------------------------------- latency

  @Test
  void latency_sleepsThroughTheSleeper_thenCallsTheFunction() {
    Aspect<String, String> aspect =
        aspectWith(
            Chaos.<String, String>latency(1, Duration.ofMillis(200))
                .sleeper(
                    d -> {
                      trace.add("sleep " + d.toMillis() + " ms");
                    }));

    assertThat(aspect.apply("x")).isEqualTo("f(x)");
    assertThat(trace).containsExactly("sleep 200 ms", "function(x)");
  }

  @Test
  void latency_fromAGenerator_asksForEachDelay_andAZeroDelaySleepsNotAtAll() {
    List<Duration> delays =
        new ArrayList<>(List.of(Duration.ofMillis(10), Duration.ZERO, Duration.ofSeconds(3)));
    Chaos.Filter<String, String> filter =
        Chaos.<String, String>latency(1, () -> delays.remove(0)).sleeper(slept::add);
    Aspect<String, String> aspect = aspectWith(filter);

    for (int i = 0; i < 3; i++) {
      assertThat(aspect.apply("x")).isEqualTo("f(x)");
    }

    assertThat(slept).containsExactly(Duration.ofMillis(10), Duration.ofSeconds(3));
    assertThat(filter.injected()).isEqualTo(3);
    assertThat(functionCalls).hasValue(3);
  }

  @Test
  void latency_whoseGeneratorReturnsNullOrANegativeDelay_failsTheCallNamingFilterAndValue() {
    Supplier<Duration> none = () -> nothing();
    Aspect<String, String> nulls =
        aspectWith(Chaos.<String, String>latency(1, none).name("jitter").sleeper(slept::add));
    assertThatThrownBy(() -> nulls.apply("x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("delays of chaos filter 'jitter' returned null");

    Aspect<String, String> negative =
        aspectWith(
            Chaos.<String, String>latency(1, () -> Duration.ofMillis(-5)).sleeper(slept::add));
    assertThatThrownBy(() -> negative.apply("x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("delays of chaos filter 'latency' returned PT-0.005S, a negative delay");

    assertThat(slept).isEmpty();
    assertThat(functionCalls).hasValue(0);
  }

  @Test
  void theSleeper_isUsedOnlyByLatency() {
    Chaos.Sleeper forbidden =
        d -> {
          throw new AssertionError("slept");
        };
    Aspect<String, String> aspect = Aspect.of("echo", this::function);
    aspect.around(Chaos.<String, String>fault(0, () -> injectedFault).sleeper(forbidden));
    aspect.around(Chaos.<String, String>outcome(1, r -> r + "!").sleeper(forbidden));
    aspect.around(Chaos.<String, String>behaviour(1, () -> {}).sleeper(forbidden));

    assertThat(aspect.apply("x")).isEqualTo("f(x)!");
  }

  // ---------------------------------------------------------------- outcome and behaviour

  @Test
  void outcome_callsTheFunction_andReplacesItsResult() {
    Chaos.Filter<String, String> filter = Chaos.outcome(1, r -> "corrupted " + r);
    Aspect<String, String> aspect = aspectWith(filter);

    assertThat(aspect.apply("x")).isEqualTo("corrupted f(x)");
    assertThat(trace).containsExactly("function(x)");
  }

  @Test
  void outcome_thatReturnsNull_failsNamingTheFilter() {
    Function<String, String> nothing = ChaosTest::nothing;
    Chaos.Filter<String, String> filter = Chaos.<String, String>outcome(1, nothing).name("blank");

    assertThatThrownBy(() -> filter.apply("x", this::function))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("outcome of chaos filter 'blank' returned null");
  }

  @Test
  void behaviour_runsBeforeTheCall_thenTheCallProceeds() {
    Chaos.Filter<String, String> filter = Chaos.behaviour(1, () -> trace.add("behaviour"));
    Aspect<String, String> aspect = aspectWith(filter);

    assertThat(aspect.apply("x")).isEqualTo("f(x)");
    assertThat(trace).containsExactly("behaviour", "function(x)");
  }

  @Test
  void behaviour_thatThrows_failsTheCallWithThatFailure_unchanged() {
    IllegalStateException poolGone = new IllegalStateException("connection pool drained");
    Aspect<String, String> aspect =
        aspectWith(
            Chaos.behaviour(
                1,
                () -> {
                  throw poolGone;
                }));

    assertThatThrownBy(() -> aspect.apply("x")).isSameAs(poolGone);
    assertThat(functionCalls).hasValue(0);
  }

  @Test
  void filtersCompose_theFirstInstalledOutermost_asAnyAroundFilters() {
    Aspect<String, String> aspect = Aspect.of("echo", this::function);
    aspect.around(Chaos.behaviour(1, () -> trace.add("behaviour")));
    aspect.around(Chaos.<String, String>latency(1, Duration.ofMillis(1)).sleeper(slept::add));
    aspect.around(Chaos.outcome(1, r -> r + "?"));

    assertThat(aspect.apply("x")).isEqualTo("f(x)?");
    assertThat(trace).containsExactly("behaviour", "function(x)");
    assertThat(slept).containsExactly(Duration.ofMillis(1));
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void aRateOutside0To1_isRefusedNamingTheValue() {
    for (double rate : new double[] {1.5, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> Chaos.fault(rate, () -> injectedFault))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("rate must be between 0 and 1, was " + rate);
    }
    assertThatThrownBy(() -> Chaos.latency(1.5, Duration.ZERO))
        .hasMessage("rate must be between 0 and 1, was 1.5");
    assertThatThrownBy(() -> Chaos.latency(-1, () -> Duration.ZERO))
        .hasMessage("rate must be between 0 and 1, was -1.0");
    assertThatThrownBy(() -> Chaos.outcome(2, (String r) -> r))
        .hasMessage("rate must be between 0 and 1, was 2.0");
    assertThatThrownBy(() -> Chaos.behaviour(Double.NaN, () -> {}))
        .hasMessage("rate must be between 0 and 1, was NaN");
  }

  @Test
  void aNegativeDelay_isRefusedNamingTheValue() {
    assertThatThrownBy(() -> Chaos.latency(0.5, Duration.ofMillis(-200)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delay must not be negative, was PT-0.2S");
  }

  @Test
  void nulls_areRefusedNamingTheParameter() {
    Chaos.Filter<String, String> filter = Chaos.behaviour(0.5, () -> {});

    assertThatThrownBy(() -> Chaos.fault(0.5, null)).hasMessage("fault must not be null");
    assertThatThrownBy(() -> Chaos.latency(0.5, (Duration) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("delay must not be null");
    assertThatThrownBy(() -> Chaos.latency(0.5, (Supplier<Duration>) null))
        .hasMessage("delays must not be null");
    assertThatThrownBy(() -> Chaos.outcome(0.5, null)).hasMessage("outcome must not be null");
    assertThatThrownBy(() -> Chaos.behaviour(0.5, null)).hasMessage("behaviour must not be null");
    assertThatThrownBy(() -> filter.random(null)).hasMessage("random must not be null");
    assertThatThrownBy(() -> filter.sleeper(null)).hasMessage("sleeper must not be null");
    assertThatThrownBy(() -> filter.enabled(null)).hasMessage("enabled must not be null");
    assertThatThrownBy(() -> filter.name(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> filter.name(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
  }

  // ---------------------------------------------------------------- toString

  @Test
  void toString_showsNameKindRateAndCounts() {
    Chaos.Filter<String, String> filter =
        Chaos.<String, String>latency(0.3, Duration.ofMillis(200))
            .name("slow payments")
            .sleeper(slept::add)
            .random(new Scripted(new double[] {0.1, 0.5}, new AtomicInteger()));
    Aspect<String, String> aspect = aspectWith(filter);
    aspect.apply("x");
    aspect.apply("y");

    assertThat(filter)
        .hasToString(
            "Chaos.Filter[name=slow payments, kind=latency, rate=0.3, injected=1, passed=1]");
    assertThat(Chaos.fault(1, () -> injectedFault))
        .hasToString("Chaos.Filter[name=fault, kind=fault, rate=1.0, injected=0, passed=0]");
    assertThat(Chaos.outcome(0, (String r) -> r))
        .hasToString("Chaos.Filter[name=outcome, kind=outcome, rate=0.0, injected=0, passed=0]");
    assertThat(Chaos.behaviour(0.5, () -> {}).toString()).contains("kind=behaviour");
  }

  // ---------------------------------------------------------------- helpers

  /** A generator that returns the given doubles in turn. */
  private static final class Scripted implements RandomGenerator {
    private final double[] draws;
    private final AtomicInteger next;

    Scripted(double[] draws, AtomicInteger next) {
      this.draws = draws.clone();
      this.next = next;
    }

    @Override
    public double nextDouble() {
      return draws[next.getAndIncrement()];
    }

    @Override
    public long nextLong() {
      throw new AssertionError("only nextDouble is drawn");
    }
  }

  /** What a buggy supplier or function returns. */
  @SuppressWarnings("TypeParameterUnusedInFormals") // a null of any type, as a buggy lambda's
  private static <T> T nothing() {
    return null;
  }

  private static <T> T nothing(T ignored) {
    return null;
  }
}
