package io.dyno.breaker;

/**
 * A {@link Breaker} moved from one state to another; passed to {@code onStateChange} listeners,
 * once per change, by the thread that made it.
 *
 * @param name the breaker's name
 * @param from the state before
 * @param to the state after
 * @param reason why, such as {@code 52.0% failures in the last 10.0 s}, {@code open for 5.00 s} or
 *     {@code reset by hand}
 * @param metrics the breaker's window when it changed (for a change to {@code CLOSED} after a reset
 *     or trial calls: the window just emptied)
 */
public record StateChange(
    String name, Breaker.State from, Breaker.State to, String reason, BreakerMetrics metrics) {

  @Override
  public String toString() {
    return "Breaker '" + name + "' " + from + " -> " + to + " (" + reason + ")";
  }
}
