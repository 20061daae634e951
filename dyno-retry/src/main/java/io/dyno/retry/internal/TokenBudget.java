package io.dyno.retry.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The counting behind a token retry budget: a balance of tokens, kept in thousandths of a token in
 * one atomic integer and changed by compare-and-set, without a lock. A failed attempt takes one
 * token, a successful one adds a fraction of a token, and extra attempts are allowed while more
 * than half the tokens are left.
 */
public final class TokenBudget {

  /** Thousandths per token: the balance and the ratio are kept to three decimals. */
  public static final int SCALE = 1000;

  private final int maxMillis;
  private final int ratioMillis;
  private final int thresholdMillis;

  private final AtomicInteger millis;

  /**
   * Creates a full budget.
   *
   * @param maxMillis the most tokens, in thousandths, positive
   * @param ratioMillis the tokens a success adds, in thousandths, positive
   */
  public TokenBudget(int maxMillis, int ratioMillis) {
    this.maxMillis = maxMillis;
    this.ratioMillis = ratioMillis;
    this.thresholdMillis = maxMillis / 2;
    this.millis = new AtomicInteger(maxMillis);
  }

  /** Whether an extra attempt is allowed now: more than half the tokens are left. Takes nothing. */
  public boolean allows() {
    return millis.get() > thresholdMillis;
  }

  /** Adds the ratio, capped at the maximum. */
  public void success() {
    int current;
    int next;
    do {
      current = millis.get();
      next = Math.min(maxMillis, current + ratioMillis);
      if (next == current) {
        return;
      }
    } while (!millis.compareAndSet(current, next));
  }

  /** Takes one token, floored at zero. */
  public void failure() {
    int current;
    int next;
    do {
      current = millis.get();
      next = Math.max(0, current - SCALE);
      if (next == current) {
        return;
      }
    } while (!millis.compareAndSet(current, next));
  }

  /** The most tokens, in thousandths. */
  public int maxMillis() {
    return maxMillis;
  }

  /** The tokens a success adds, in thousandths. */
  public int ratioMillis() {
    return ratioMillis;
  }

  /** The current balance, in thousandths of a token. */
  public int millis() {
    return millis.get();
  }
}
