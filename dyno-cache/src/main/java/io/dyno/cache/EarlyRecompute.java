package io.dyno.cache;

import io.dyno.cache.internal.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * When a read recomputes a value before it expires: the strategy that spreads recomputation out so
 * that an expiry does not send every reader to the loader at once.
 *
 * <ul>
 *   <li>{@link #xfetch(double)}, the default with β = 1: XFetch (Vattani, Chierichetti, Lowenstein,
 *       VLDB 2015). A read at time {@code now} recomputes when {@code now − δ·β·ln(u) ≥ expiry},
 *       where δ is how long the value's last computation took and u is uniform in (0, 1]. The
 *       chance is {@code exp(−remaining / (δ·β))}: it grows as expiry nears, and sooner for values
 *       that are slow to compute. The paper proves it optimal among such rules.
 *   <li>{@link #linear()}: the chance is {@code age / ttl}.
 *   <li>{@link #exponential(double)}: the chance is {@code (age / ttl)^k}.
 *   <li>{@link #none()}: never early; a plain time to live.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class EarlyRecompute {

  /**
   * The largest {@code −ln(u)} a draw can give: {@code u = 1 − nextDouble()} is at least 2^−53.
   * Before {@code expiry − δ·β·MAX_NEG_LN_U} XFetch cannot fire, so reads there skip the draw.
   */
  static final double MAX_NEG_LN_U = 53 * Math.log(2) + 1e-9;

  private enum Kind {
    NONE,
    XFETCH,
    LINEAR,
    EXPONENTIAL
  }

  private static final EarlyRecompute NONE = new EarlyRecompute(Kind.NONE, 0);
  private static final EarlyRecompute LINEAR = new EarlyRecompute(Kind.LINEAR, 1);

  private final Kind kind;
  private final double parameter;

  private EarlyRecompute(Kind kind, double parameter) {
    this.kind = kind;
    this.parameter = parameter;
  }

  /**
   * Returns XFetch with the given β: larger recomputes earlier, 1 is the paper's choice.
   *
   * @param beta greater than 0 and finite
   * @return the strategy
   * @throws IllegalArgumentException if {@code beta} is not a positive finite number
   */
  public static EarlyRecompute xfetch(double beta) {
    return new EarlyRecompute(Kind.XFETCH, requirePositive(beta, "beta"));
  }

  /**
   * Returns the plain time to live: a value is recomputed only once it has expired.
   *
   * @return the strategy
   */
  public static EarlyRecompute none() {
    return NONE;
  }

  /**
   * Returns the strategy that recomputes with chance {@code age / ttl}.
   *
   * @return the strategy
   */
  public static EarlyRecompute linear() {
    return LINEAR;
  }

  /**
   * Returns the strategy that recomputes with chance {@code (age / ttl)^k}: larger k waits longer.
   *
   * @param k greater than 0 and finite
   * @return the strategy
   * @throws IllegalArgumentException if {@code k} is not a positive finite number
   */
  public static EarlyRecompute exponential(double k) {
    return new EarlyRecompute(Kind.EXPONENTIAL, requirePositive(k, "k"));
  }

  /**
   * Returns the chance that one read recomputes a value early, given its age, the time to live and
   * how long its computation took; 0 at and after expiry, where a read recomputes anyway.
   *
   * @param age time since the value was computed, not negative
   * @param ttl the time to live, positive
   * @param delta how long the computation took (δ), not negative; only XFetch uses it
   * @return the chance, in [0, 1]
   * @throws IllegalArgumentException if a duration is out of range
   */
  public double chance(Duration age, Duration ttl, Duration delta) {
    long a = nanos(age, "age");
    long t = nanos(ttl, "ttl");
    long d = nanos(delta, "delta");
    if (t == 0) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    if (a >= t) {
      return 0;
    }
    switch (kind) {
      case XFETCH:
        // With δ = 0 the exponent is −∞ (t − a > 0 here), so the chance is 0.
        return Math.exp(-(double) (t - a) / (d * parameter));
      case LINEAR:
        return (double) a / t;
      case EXPONENTIAL:
        return Math.pow((double) a / t, parameter);
      case NONE:
      default:
        return 0;
    }
  }

  /**
   * Returns the time before which no read recomputes early a value computed at {@code loadedAt},
   * expiring at {@code expiresAt} and computed in {@code delta}: reads before it can skip the draw
   * of {@link #fires}. For caches built on this class; the three arguments and the result are in
   * one unit of the caller's (a ticker's nanoseconds, say), compared by difference, so readings may
   * wrap around as {@link System#nanoTime()}'s do.
   *
   * @param loadedAt when the value was computed
   * @param expiresAt when it expires, after {@code loadedAt}
   * @param delta how long the computation took (δ), not negative
   * @return {@code loadedAt}, {@code expiresAt} (for {@link #none()}) or a time between them
   */
  public long earliest(long loadedAt, long expiresAt, long delta) {
    switch (kind) {
      case XFETCH:
        double span = delta * parameter * MAX_NEG_LN_U;
        return span >= (double) (expiresAt - loadedAt) ? loadedAt : expiresAt - (long) span;
      case LINEAR:
      case EXPONENTIAL:
        return loadedAt;
      case NONE:
      default:
        return expiresAt;
    }
  }

  /**
   * Returns whether a read at {@code now}, before expiry, recomputes early the value that {@link
   * #earliest} describes, given a draw {@code r} uniform in [0, 1); the time to live is {@code
   * expiresAt − loadedAt}. Allocates nothing: for caches built on this class, in the unit of {@link
   * #earliest}.
   *
   * @param now the time of the read, in [{@code loadedAt}, {@code expiresAt})
   * @param loadedAt when the value was computed
   * @param expiresAt when it expires, after {@code loadedAt}
   * @param delta how long the computation took (δ), not negative
   * @param r the draw, in [0, 1)
   * @return true if this read recomputes the value early
   */
  public boolean fires(long now, long loadedAt, long expiresAt, long delta, double r) {
    switch (kind) {
      case XFETCH:
        // now − δ·β·ln(u) ≥ expiry, with u = 1 − r in (0, 1], rearranged so that the ticker's
        // large absolute values never pass through a double.
        return -delta * parameter * Math.log(1.0 - r) >= (double) (expiresAt - now);
      case LINEAR:
        return r < (double) (now - loadedAt) / (expiresAt - loadedAt);
      case EXPONENTIAL:
        return r < Math.pow((double) (now - loadedAt) / (expiresAt - loadedAt), parameter);
      case NONE:
      default:
        return false;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EarlyRecompute other
        && kind == other.kind
        && Double.compare(parameter, other.parameter) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, parameter);
  }

  @Override
  public String toString() {
    switch (kind) {
      case XFETCH:
        return "xfetch(" + parameter + ")";
      case LINEAR:
        return "linear()";
      case EXPONENTIAL:
        return "exponential(" + parameter + ")";
      case NONE:
      default:
        return "none()";
    }
  }

  private static double requirePositive(double value, String parameter) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          parameter + " must be a positive finite number, was " + value);
    }
    return value;
  }

  private static long nanos(Duration d, String parameter) {
    Objects.requireNonNull(d, parameter + " must not be null");
    if (d.isNegative()) {
      throw new IllegalArgumentException(parameter + " must not be negative, was " + d);
    }
    return Durations.toNanosSaturated(d);
  }
}
