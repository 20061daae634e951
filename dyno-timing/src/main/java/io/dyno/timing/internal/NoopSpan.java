package io.dyno.timing.internal;

import io.dyno.timing.Timing;
import java.time.Duration;

/** The span the no-op timing returns: stopping it does nothing, and it never runs. */
public enum NoopSpan implements Timing.Span {
  /** The one instance. */
  INSTANCE;

  @Override
  public void stop() {}

  @Override
  public boolean isRunning() {
    return false;
  }

  @Override
  public Duration elapsed() {
    return Duration.ZERO;
  }

  @Override
  public String toString() {
    return "Span (no-op)";
  }
}
