package io.dyno.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The built-in backoffs: their delays, their bounds, their validation and their values. */
class BackoffTest {

  /** A fixed seed keeps every run identical; change it to explore other samples. */
  private static final String SEED = "20261127";

  /** A generator whose nextDouble() is 0: jitter's lowest factor. */
  private static final RandomGenerator LOWEST = () -> 0L;

  /** A generator whose nextDouble() is the largest double below 1: jitter's highest factor. */
  private static final RandomGenerator HIGHEST = () -> -1L;

  /** A generator for backoffs that must not draw from it. */
  private static final RandomGenerator NO_RANDOM =
      () -> {
        throw new AssertionError("this backoff must not draw a random number");
      };

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  // ---------------------------------------------------------------- none and fixed

  @Test
  void none_neverWaits() {
    Backoff none = Backoff.none();

    assertThat(none.delay(1, NO_RANDOM)).isZero();
    assertThat(none.delay(1_000, NO_RANDOM)).isZero();
    assertThat(none).isEqualTo(Backoff.fixed(Duration.ZERO));
  }

  @Test
  void fixed_waitsTheSameAfterEveryAttempt() {
    Backoff fixed = Backoff.fixed(ms(250));

    assertThat(fixed.delay(1, NO_RANDOM)).isEqualTo(ms(250));
    assertThat(fixed.delay(2, NO_RANDOM)).isEqualTo(ms(250));
    assertThat(fixed.delay(Integer.MAX_VALUE, NO_RANDOM)).isEqualTo(ms(250));
  }

  @Test
  void fixed_rejectsANegativeOrNullDelay() {
    assertThatThrownBy(() -> Backoff.fixed(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delay must not be negative, was PT-1S");
    assertThatThrownBy(() -> Backoff.fixed(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("delay must not be null");
  }

  // ---------------------------------------------------------------- exponential

  @Test
  void exponential_multipliesTheDelayAfterEachAttempt() {
    Backoff exponential = Backoff.exponential(ms(100), 2.0);

    assertThat(List.of(1, 2, 3, 4, 5, 6))
        .map(attempt -> exponential.delay(attempt, NO_RANDOM))
        .containsExactly(ms(100), ms(200), ms(400), ms(800), ms(1600), ms(3200));
  }

  @Test
  void exponential_withAFractionalMultiplier_growsByIt() {
    Backoff exponential = Backoff.exponential(ms(100), 1.5);

    assertThat(List.of(1, 2, 3, 4))
        .map(attempt -> exponential.delay(attempt, NO_RANDOM))
        .containsExactly(ms(100), ms(150), ms(225), Duration.ofNanos(337_500_000));
  }

  @Test
  void exponential_withMultiplierOne_isFixed() {
    Backoff exponential = Backoff.exponential(ms(100), 1.0);

    assertThat(exponential.delay(1, NO_RANDOM)).isEqualTo(ms(100));
    assertThat(exponential.delay(Integer.MAX_VALUE, NO_RANDOM)).isEqualTo(ms(100));
  }

  @Test
  void exponential_saturatesInsteadOfOverflowing() {
    Duration longest = Duration.ofNanos(Long.MAX_VALUE);
    Backoff exponential = Backoff.exponential(Duration.ofNanos(1), 2.0);

    assertThat(exponential.delay(63, NO_RANDOM)).isEqualTo(Duration.ofNanos(1L << 62));
    assertThat(exponential.delay(64, NO_RANDOM)).isEqualTo(longest);
    assertThat(exponential.delay(65, NO_RANDOM)).isEqualTo(longest);
    assertThat(exponential.delay(10_000, NO_RANDOM)).isEqualTo(longest);
    assertThat(exponential.delay(Integer.MAX_VALUE, NO_RANDOM)).isEqualTo(longest);
    assertThat(Backoff.exponential(ms(100), 2.0).delay(Integer.MAX_VALUE, NO_RANDOM))
        .isEqualTo(longest);
  }

  @Test
  void exponential_rejectsANonPositiveOrNullInitialDelay() {
    assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, 2.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("initial must be positive, was PT0S");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(-1), 2.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("initial must be positive, was PT-1S");
    assertThatThrownBy(() -> Backoff.exponential(null, 2.0))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("initial must not be null");
  }

  @Test
  void exponential_rejectsAMultiplierBelowOneOrNotFinite() {
    assertThatThrownBy(() -> Backoff.exponential(ms(100), 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("multiplier must be >= 1 and finite, was 0.5");
    assertThatThrownBy(() -> Backoff.exponential(ms(100), Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("multiplier must be >= 1 and finite, was NaN");
    assertThatThrownBy(() -> Backoff.exponential(ms(100), Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("multiplier must be >= 1 and finite, was Infinity");
  }

  // ---------------------------------------------------------------- random

  @Test
  void random_staysWithinMinAndMaxAndReachesBothEnds() {
    Backoff random = Backoff.random(Duration.ofNanos(10), Duration.ofNanos(13));
    SplittableRandom generator = new SplittableRandom(42);

    Set<Duration> seen = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      seen.add(random.delay(1, generator));
    }

    // 4 values, 1000 draws: each is missed with probability (3/4)^1000, never in practice.
    assertThat(seen)
        .containsExactlyInAnyOrder(
            Duration.ofNanos(10), Duration.ofNanos(11), Duration.ofNanos(12), Duration.ofNanos(13));
  }

  @Test
  void random_spreadsEvenlyOverTheRange() {
    Backoff random = Backoff.random(ms(100), ms(200));
    SplittableRandom generator = new SplittableRandom(7);

    int n = 10_000;
    int[] tenths = new int[10];
    for (int i = 0; i < n; i++) {
      long nanos = random.delay(1, generator).minus(ms(100)).toNanos();
      tenths[(int) Math.min(9, nanos / 10_000_000)]++;
    }

    // Each tenth expects 1000 draws, standard deviation 30: ±150 is five of them.
    for (int count : tenths) {
      assertThat(count).isBetween(850, 1150);
    }
  }

  @Test
  void random_withMinEqualToMax_isFixed() {
    Backoff random = Backoff.random(Duration.ofSeconds(1), Duration.ofSeconds(1));

    assertThat(random.delay(1, NO_RANDOM)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void random_upToTheLongestDuration_doesNotOverflow() {
    Backoff random = Backoff.random(Duration.ZERO, Duration.ofDays(365L * 1000));

    assertThat(random.delay(1, new SplittableRandom(3)))
        .isBetween(Duration.ZERO, Duration.ofNanos(Long.MAX_VALUE));
  }

  @Test
  void random_rejectsBadBounds() {
    assertThatThrownBy(() -> Backoff.random(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max must be >= min (PT2S), was PT1S");
    assertThatThrownBy(() -> Backoff.random(Duration.ofSeconds(-1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("min must not be negative, was PT-1S");
    assertThatThrownBy(() -> Backoff.random(null, Duration.ofSeconds(1)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("min must not be null");
    assertThatThrownBy(() -> Backoff.random(Duration.ZERO, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("max must not be null");
  }

  // ---------------------------------------------------------------- withMaxDelay

  @Test
  void withMaxDelay_capsEveryDelay() {
    Backoff capped = Backoff.exponential(ms(100), 2.0).withMaxDelay(Duration.ofSeconds(1));

    assertThat(List.of(1, 2, 3, 4, 5, 6, 1_000))
        .map(attempt -> capped.delay(attempt, NO_RANDOM))
        .containsExactly(ms(100), ms(200), ms(400), ms(800), ms(1000), ms(1000), ms(1000));
  }

  @Test
  void withMaxDelay_ofZero_neverWaits() {
    assertThat(Backoff.fixed(ms(5)).withMaxDelay(Duration.ZERO).delay(1, NO_RANDOM)).isZero();
  }

  @Test
  void withMaxDelay_rejectsANegativeOrNullMax() {
    assertThatThrownBy(() -> Backoff.none().withMaxDelay(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max must not be negative, was PT-1S");
    assertThatThrownBy(() -> Backoff.none().withMaxDelay(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("max must not be null");
  }

  @Test
  void withMaxDelay_appliesToACustomBackoff() {
    Backoff custom = (attempt, random) -> Duration.ofSeconds(attempt);

    assertThat(custom.withMaxDelay(Duration.ofSeconds(2)).delay(5, NO_RANDOM))
        .isEqualTo(Duration.ofSeconds(2));
  }

  // ---------------------------------------------------------------- withJitter

  @Test
  void withJitter_spreadsTheDelayOverPlusOrMinusTheFraction() {
    Backoff jittered = Backoff.fixed(ms(1000)).withJitter(0.5);

    assertThat(jittered.delay(1, LOWEST)).isEqualTo(ms(500));
    // nextDouble() just below 1 gives just below 1.5 s, rounded to the nanosecond.
    assertThat(jittered.delay(1, HIGHEST)).isEqualTo(ms(1500));
    assertThat(jittered.delay(1, () -> Long.MIN_VALUE)).isEqualTo(ms(1000)); // nextDouble() 0.5
  }

  @Test
  void withJitter_staysWithinItsBoundsAndUsesTheWholeRange() {
    Backoff jittered = Backoff.fixed(ms(1000)).withJitter(0.2);
    SplittableRandom generator = new SplittableRandom(11);

    Duration lowest = Duration.ofDays(1);
    Duration highest = Duration.ZERO;
    for (int i = 0; i < 10_000; i++) {
      Duration d = jittered.delay(1, generator);
      assertThat(d).isBetween(ms(800), ms(1200));
      lowest = d.compareTo(lowest) < 0 ? d : lowest;
      highest = d.compareTo(highest) > 0 ? d : highest;
    }

    // 10000 uniform draws over 400 ms come within 1 ms of each end with near certainty.
    assertThat(lowest).isLessThan(ms(801));
    assertThat(highest).isGreaterThan(ms(1199));
  }

  @Test
  void withJitter_ofZero_changesNothingAndDrawsNothing() {
    Backoff exponential = Backoff.exponential(ms(100), 2.0);

    assertThat(exponential.withJitter(0).delay(3, NO_RANDOM)).isEqualTo(ms(400));
  }

  @Test
  void withJitter_ofAZeroDelay_staysZero() {
    assertThat(Backoff.none().withJitter(1).delay(1, NO_RANDOM)).isZero();
  }

  @Test
  void withJitter_ofTheLongestDelay_saturates() {
    Backoff jittered = Backoff.fixed(Duration.ofNanos(Long.MAX_VALUE)).withJitter(0.5);

    assertThat(jittered.delay(1, HIGHEST)).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
  }

  @Test
  void withJitter_rejectsAFractionOutsideZeroToOne() {
    assertThatThrownBy(() -> Backoff.none().withJitter(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fraction must be in [0, 1], was 1.5");
    assertThatThrownBy(() -> Backoff.none().withJitter(-0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fraction must be in [0, 1], was -0.1");
    assertThatThrownBy(() -> Backoff.none().withJitter(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fraction must be in [0, 1], was NaN");
  }

  // ---------------------------------------------------------------- composition order

  @Test
  void jitterAfterTheCap_mayWaitLongerThanTheCap() {
    Backoff backoff =
        Backoff.exponential(ms(100), 2.0).withMaxDelay(Duration.ofSeconds(1)).withJitter(0.5);

    assertThat(backoff.delay(10, HIGHEST)).isEqualTo(ms(1500));
    assertThat(backoff.delay(10, LOWEST)).isEqualTo(ms(500));
  }

  @Test
  void capAfterTheJitter_neverWaitsLongerThanTheCap() {
    Backoff backoff =
        Backoff.exponential(ms(100), 2.0).withJitter(0.5).withMaxDelay(Duration.ofSeconds(1));

    assertThat(backoff.delay(10, HIGHEST)).isEqualTo(ms(1000));
    assertThat(backoff.delay(10, LOWEST)).isEqualTo(ms(1000)); // 51.2 s · 0.5 is still capped
    assertThat(backoff.delay(1, LOWEST)).isEqualTo(ms(50));
  }

  // ---------------------------------------------------------------- values

  @Test
  void builtInBackoffs_areEqualByValue() {
    assertThat(Backoff.fixed(ms(100))).isEqualTo(Backoff.fixed(ms(100)));
    assertThat(Backoff.fixed(ms(100))).hasSameHashCodeAs(Backoff.fixed(ms(100)));
    assertThat(Backoff.fixed(ms(100))).isNotEqualTo(Backoff.fixed(ms(101)));

    assertThat(Backoff.exponential(ms(100), 2.0)).isEqualTo(Backoff.exponential(ms(100), 2.0));
    assertThat(Backoff.exponential(ms(100), 2.0))
        .hasSameHashCodeAs(Backoff.exponential(ms(100), 2.0));
    assertThat(Backoff.exponential(ms(100), 2.0)).isNotEqualTo(Backoff.exponential(ms(100), 3.0));

    assertThat(Backoff.random(ms(1), ms(2))).isEqualTo(Backoff.random(ms(1), ms(2)));
    assertThat(Backoff.random(ms(1), ms(2))).isNotEqualTo(Backoff.random(ms(1), ms(3)));

    Backoff composed =
        Backoff.exponential(ms(100), 2.0).withMaxDelay(Duration.ofSeconds(5)).withJitter(0.5);
    assertThat(composed)
        .isEqualTo(
            Backoff.exponential(ms(100), 2.0).withMaxDelay(Duration.ofSeconds(5)).withJitter(0.5));
    assertThat(composed)
        .hasSameHashCodeAs(
            Backoff.exponential(ms(100), 2.0).withMaxDelay(Duration.ofSeconds(5)).withJitter(0.5));
    assertThat(composed)
        .isNotEqualTo(
            Backoff.exponential(ms(100), 2.0).withJitter(0.5).withMaxDelay(Duration.ofSeconds(5)));
  }

  @Test
  void builtInBackoffs_printTheirParameters() {
    assertThat(Backoff.none()).hasToString("Fixed[delay=PT0S]");
    assertThat(Backoff.fixed(ms(250))).hasToString("Fixed[delay=PT0.25S]");
    assertThat(Backoff.exponential(ms(100), 2.0))
        .hasToString("Exponential[initial=PT0.1S, multiplier=2.0]");
    assertThat(Backoff.random(ms(1), ms(2))).hasToString("Random[min=PT0.001S, max=PT0.002S]");
    assertThat(
            Backoff.exponential(ms(100), 2.0).withMaxDelay(Duration.ofSeconds(5)).withJitter(0.5))
        .hasToString(
            "Jittered[backoff=Capped[backoff=Exponential[initial=PT0.1S, multiplier=2.0],"
                + " max=PT5S], fraction=0.5]");
  }

  // ---------------------------------------------------------------- properties

  @Property(tries = 300, seed = SEED)
  void exponential_isNonDecreasingInTheAttempt(
      @ForAll @LongRange(min = 1, max = 86_400_000_000_000L) long initialNanos,
      @ForAll @DoubleRange(min = 1, max = 10) double multiplier,
      @ForAll @IntRange(min = 1, max = 2_000) int attempt) {
    Backoff exponential = Backoff.exponential(Duration.ofNanos(initialNanos), multiplier);

    Duration d = exponential.delay(attempt, NO_RANDOM);
    Duration next = exponential.delay(attempt + 1, NO_RANDOM);

    assertThat(d).isGreaterThanOrEqualTo(Duration.ofNanos(initialNanos));
    assertThat(next).isGreaterThanOrEqualTo(d);
    assertThat(next).isLessThanOrEqualTo(Duration.ofNanos(Long.MAX_VALUE));
  }

  @Property(tries = 300, seed = SEED)
  void exponential_withMaxDelay_neverExceedsTheCap(
      @ForAll @LongRange(min = 1, max = 86_400_000_000_000L) long initialNanos,
      @ForAll @DoubleRange(min = 1, max = 10) double multiplier,
      @ForAll @LongRange(min = 0, max = 86_400_000_000_000L) long capNanos,
      @ForAll @IntRange(min = 1, max = 2_000) int attempt) {
    Duration cap = Duration.ofNanos(capNanos);
    Backoff plain = Backoff.exponential(Duration.ofNanos(initialNanos), multiplier);
    Backoff capped = plain.withMaxDelay(cap);

    Duration d = capped.delay(attempt, NO_RANDOM);

    assertThat(d).isLessThanOrEqualTo(cap);
    Duration uncapped = plain.delay(attempt, NO_RANDOM);
    assertThat(d).isEqualTo(uncapped.compareTo(cap) > 0 ? cap : uncapped);
  }

  @Property(tries = 500, seed = SEED)
  void withJitter_staysWithinTheFractionOfTheDelay(
      @ForAll @LongRange(min = 0, max = 86_400_000_000_000L) long delayNanos,
      @ForAll @DoubleRange(min = 0, max = 1) double fraction,
      @ForAll long seed) {
    Backoff jittered = Backoff.fixed(Duration.ofNanos(delayNanos)).withJitter(fraction);

    long nanos = jittered.delay(1, new SplittableRandom(seed)).toNanos();

    // The exact bounds d·(1 − f) and d·(1 + f), widened to whole nanoseconds.
    BigDecimal d = BigDecimal.valueOf(delayNanos);
    BigDecimal f = new BigDecimal(fraction);
    long lower = d.multiply(BigDecimal.ONE.subtract(f)).setScale(0, RoundingMode.FLOOR).longValue();
    long upper = d.multiply(BigDecimal.ONE.add(f)).setScale(0, RoundingMode.CEILING).longValue();
    assertThat(nanos).isBetween(lower, upper);
  }

  @Property(tries = 500, seed = SEED)
  void withJitter_atItsExtremes_staysWithinTheFractionOfTheDelay(
      @ForAll @LongRange(min = 0, max = 86_400_000_000_000L) long delayNanos,
      @ForAll @DoubleRange(min = 0, max = 1) double fraction) {
    Backoff jittered = Backoff.fixed(Duration.ofNanos(delayNanos)).withJitter(fraction);
    BigDecimal d = BigDecimal.valueOf(delayNanos);
    BigDecimal f = new BigDecimal(fraction);
    long lower = d.multiply(BigDecimal.ONE.subtract(f)).setScale(0, RoundingMode.FLOOR).longValue();
    long upper = d.multiply(BigDecimal.ONE.add(f)).setScale(0, RoundingMode.CEILING).longValue();

    assertThat(jittered.delay(1, LOWEST).toNanos()).isBetween(lower, upper);
    assertThat(jittered.delay(1, HIGHEST).toNanos()).isBetween(lower, upper);
  }

  @Property(tries = 500, seed = SEED)
  void random_staysWithinMinAndMax(
      @ForAll @LongRange(min = 0, max = 86_400_000_000_000L) long minNanos,
      @ForAll @LongRange(min = 0, max = 86_400_000_000_000L) long spanNanos,
      @ForAll long seed) {
    Duration min = Duration.ofNanos(minNanos);
    Duration max = Duration.ofNanos(minNanos + spanNanos);

    Duration d = Backoff.random(min, max).delay(1, new SplittableRandom(seed));

    assertThat(d).isBetween(min, max);
  }
}
