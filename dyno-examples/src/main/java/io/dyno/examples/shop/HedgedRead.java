package io.dyno.examples.shop;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call of the hedged recommendations service, shared by the copies the hedge sends of it: the
 * product asked about, and whether a copy has started yet, so that the first copy can be told from
 * the others.
 *
 * <p>Thread-safe: the copies run on the service's threads at once.
 */
final class HedgedRead {

  private final String product;
  private final AtomicBoolean started = new AtomicBoolean();

  HedgedRead(String product) {
    this.product = Objects.requireNonNull(product, "product must not be null");
  }

  /** The product whose recommendations are asked for. */
  String product() {
    return product;
  }

  /**
   * Returns true for the first copy that starts, the one a caller would wait for without a hedge,
   * and false for every later copy and retry of the call.
   */
  boolean firstCopy() {
    return started.compareAndSet(false, true);
  }

  @Override
  public String toString() {
    return "HedgedRead[" + product + "]";
  }
}
